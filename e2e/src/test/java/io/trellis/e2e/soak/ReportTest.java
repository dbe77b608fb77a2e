package io.trellis.e2e.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The soak's must-be-0 checks decide its exit status (the soak itself runs from scripts/soak.sh).
 */
class ReportTest {
  static Report report(long acked, long maxValue, long finalCount) {
    Report r = new Report(new Ledger());
    r.acked = acked;
    r.maxAckedValue = maxValue;
    r.finalCount = finalCount;
    return r;
  }

  @Test
  void everyAcknowledgedIncrementInTheCountPasses() {
    assertEquals(0, report(10, 12, 12).print(1, 1));
  }

  @Test
  void aMissingIncrementFails() {
    assertEquals(1, report(10, 10, 9).print(1, 1), "fewer counted than acknowledged");
    assertEquals(1, report(10, 12, 11).print(1, 1), "a value was acknowledged above the count");
    assertEquals(1, report(10, 10, -1).print(1, 1), "no final count could be read");
  }

  @Test
  void aValueAcknowledgedTwiceFails() {
    Report r = report(10, 10, 10);
    r.duplicateAcks = 1;
    assertEquals(1, r.print(1, 1));
  }

  @Test
  void aProcessLeftBehindIsFoundAndFails() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      Report r = report(10, 10, 10);
      r.leftBehind =
          Report.leftBehind(Map.of(sleeper.pid(), sleeper.toHandle()), Duration.ofMillis(300));
      assertTrue(
          r.leftBehind.stream().anyMatch(p -> p.startsWith("pid " + sleeper.pid() + " ")),
          r.leftBehind.toString());
      assertEquals(1, r.print(1, 1));
    } finally {
      sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // positive control: once it has exited, it is not reported (other tests' processes may be)
    assertTrue(
        Report.leftBehind(Map.of(sleeper.pid(), sleeper.toHandle()), Duration.ofMillis(300))
            .stream()
            .noneMatch(p -> p.startsWith("pid " + sleeper.pid() + " ")));
  }
}
