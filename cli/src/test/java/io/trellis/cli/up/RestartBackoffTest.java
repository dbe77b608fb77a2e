package io.trellis.cli.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
  @Test
  void theDelayDoublesUpToTheCap() {
    RestartBackoff b = RestartBackoff.defaults();
    assertEquals(Duration.ofSeconds(1), b.delay(1));
    assertEquals(Duration.ofSeconds(2), b.delay(2));
    assertEquals(Duration.ofSeconds(4), b.delay(3));
    assertEquals(Duration.ofSeconds(16), b.delay(5));
    assertEquals(Duration.ofSeconds(30), b.delay(6));
    assertEquals(Duration.ofSeconds(30), b.delay(10));
  }

  @Test
  void attemptsAreBounded() {
    RestartBackoff b = RestartBackoff.defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.delay(11));
    assertEquals("restart attempt must be in 1..10; got 11", e.getMessage());
    RestartBackoff many =
        new RestartBackoff(Duration.ofMillis(1), Duration.ofDays(1), 1000, Duration.ofMinutes(1));
    assertEquals(Duration.ofDays(1), many.delay(1000), "no overflow on a long run of failures");
  }

  @Test
  void badSettingsAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RestartBackoff(
                    Duration.ofSeconds(5), Duration.ofSeconds(1), 3, Duration.ofMinutes(1)));
    assertEquals("restart backoff needs 0 < initial <= max; got PT5S and PT1S", e.getMessage());
  }

  @Test
  void exitsAreDescribedWithTheSignal() {
    assertEquals("was killed by signal 9 (SIGKILL)", NatsSupervisor.describeExit(137));
    assertEquals("was killed by signal 15 (SIGTERM)", NatsSupervisor.describeExit(143));
    assertEquals("exited with status 1", NatsSupervisor.describeExit(1));
    assertEquals("exited with status 0", NatsSupervisor.describeExit(0));
  }
}
