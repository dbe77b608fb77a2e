package io.trellis.cli.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.trellis.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's bounds, with a "server" that always fails at once (/bin/false): restarts are
 * counted, delays grow, and it gives up after the last attempt instead of looping forever.
 */
class NatsSupervisorTest {
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Logger logger;

  @BeforeEach
  void captureLog() {
    logger = (Logger) LoggerFactory.getLogger(NatsSupervisor.class);
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(logged);
  }

  private List<String> messages() {
    synchronized (logged.list) {
      return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private static Path alwaysFails() {
    Path f = Path.of("/bin/false");
    return Files.isExecutable(f) ? f : Path.of("/usr/bin/false");
  }

  @Test
  void givesUpAfterTheLastAttempt() throws Exception {
    TrellisHome home = new TrellisHome(dir);
    Files.createDirectories(home.natsDir());
    Path binary = alwaysFails();
    Process first = new ProcessBuilder(binary.toString()).start();
    RestartBackoff backoff =
        new RestartBackoff(Duration.ofMillis(20), Duration.ofMillis(40), 3, Duration.ofMinutes(1));
    int port = FreePorts.allocate();
    try (NatsSupervisor s =
        NatsSupervisor.supervise(
            first,
            binary,
            new NatsLauncher.Settings("127.0.0.1", port, null, null, null),
            home,
            backoff,
            Duration.ofSeconds(10))) {
      Awaitility.await("the supervisor gives up")
          .atMost(Duration.ofSeconds(30))
          .until(() -> messages().stream().anyMatch(m -> m.contains("giving up")));
      List<String> restarts =
          messages().stream().filter(m -> m.contains("restarting it in")).toList();
      assertEquals(3, restarts.size(), String.join("\n", messages()));
      assertTrue(
          restarts.get(0).contains("exited with status 1; restarting it in 20 ms (attempt 1 of 3)"),
          restarts.get(0));
      assertTrue(
          restarts.get(1).contains("restarting it in 40 ms (attempt 2 of 3)"), restarts.get(1));
      assertTrue(
          restarts.get(2).contains("restarting it in 40 ms (attempt 3 of 3)"), restarts.get(2));
      String last = messages().stream().filter(m -> m.contains("giving up")).findFirst().get();
      assertTrue(
          last.contains("giving up after 3 restarts in a row")
              && last.contains("nats://127.0.0.1:" + port),
          last);
      // nothing more happens after giving up: no further restart is scheduled
      Awaitility.await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> messages().stream().filter(m -> m.contains("restarting it in")).count() == 3);
    }
  }

  @Test
  void closeCancelsAPendingRestart() throws Exception {
    TrellisHome home = new TrellisHome(dir);
    Files.createDirectories(home.natsDir());
    Path binary = alwaysFails();
    Process first = new ProcessBuilder("sleep", "60").start();
    RestartBackoff backoff =
        new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofMinutes(1));
    NatsSupervisor s =
        NatsSupervisor.supervise(
            first,
            binary,
            new NatsLauncher.Settings("127.0.0.1", FreePorts.allocate(), null, null, null),
            home,
            backoff,
            Duration.ofSeconds(10));
    try {
      first.destroyForcibly();
      Awaitility.await("the death is noticed")
          .atMost(Duration.ofSeconds(10))
          .until(() -> messages().stream().anyMatch(m -> m.contains("was killed by signal 9")));
      s.close();
      // the restart was due in 1 s: nothing is started after close
      Awaitility.await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> messages().size() == 1 && !Files.exists(home.natsPid()));
    } finally {
      s.close();
    }
  }
}
