package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host started with {@code trellis host}, in its own JVM as bin/trellis runs it, shows only
 * Trellis's lines: none of logback's own status messages, in text and in JSON logging.
 */
class StartupOutputTest {
  /** Logback's status lines: {@code 18:48:58,548 |-INFO in ch.qos.logback...}. */
  private static final Pattern STATUS = Pattern.compile("\\|-(INFO|WARN|ERROR) in ");

  /** A line of the text console appender: time, level, logger, message. */
  private static final Pattern TEXT_LINE =
      Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) \\S+ - .*");

  static NatsServer nats;

  @TempDir Path dir;

  @BeforeAll
  static void startNats() {
    nats = NatsServer.start();
  }

  @AfterAll
  static void stopNats() {
    if (nats != null) {
      nats.close();
    }
  }

  /** Runs {@code trellis host} until it reports running, stops it, returns its output. */
  private CliProcess.Result startHost(Map<String, String> extraEnv, List<String> jvmArgs)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    // its host_config.json goes to this test's directory, never to the real home
    env.put("HOME", dir.toString());
    env.put("TRELLIS_HOME", null);
    env.put("WASMCLOUD_STRUCTURED_LOGGING_ENABLED", null);
    env.put("WASMCLOUD_LOG_LEVEL", null);
    env.putAll(extraEnv);
    try (CliProcess host =
        CliProcess.start(
            env,
            jvmArgs,
            dir.resolve("run-" + System.nanoTime()),
            "host",
            "--nats-port",
            Integer.toString(nats.port()))) {
      Awaitility.await("the host reports that it runs")
          .atMost(Duration.ofSeconds(60))
          .until(() -> host.stdout().contains("is running") || !host.process().isAlive());
      assertTrue(
          host.stdout().contains("is running"),
          "the host did not start: " + host.stdout() + host.stderr());
      host.close();
      return new CliProcess.Result(host.process().exitValue(), host.stdout(), host.stderr());
    }
  }

  private static List<String> statusLines(CliProcess.Result r) {
    return (r.out() + "\n" + r.err()).lines().filter(l -> STATUS.matcher(l).find()).toList();
  }

  @Test
  void aTextStartShowsOnlyTrellisLines() throws Exception {
    CliProcess.Result r = startHost(Map.of(), List.of());
    assertEquals(List.of(), statusLines(r), "no logback status lines");
    List<String> foreign =
        r.err().lines().filter(l -> !l.isBlank() && !TEXT_LINE.matcher(l).matches()).toList();
    assertEquals(List.of(), foreign, "stderr holds only Trellis's log lines:\n" + r.err());
    assertTrue(r.err().contains("INFO  Host - starting host"), r.err());
  }

  @Test
  void aJsonStartShowsOnlyJsonLines() throws Exception {
    CliProcess.Result r =
        startHost(Map.of("WASMCLOUD_STRUCTURED_LOGGING_ENABLED", "true"), List.of());
    assertEquals(List.of(), statusLines(r), "no logback status lines");
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertFalse(lines.isEmpty(), "the host logs");
    boolean sawStart = false;
    for (String line : lines) {
      JsonNode n = Json.MAPPER.readTree(line);
      assertTrue(n.isObject() && n.has("level") && n.has("message"), line);
      sawStart |= n.path("message").asText().startsWith("starting host");
    }
    assertTrue(sawStart, "the start is logged as JSON:\n" + r.err());
  }

  @Test
  void theCheckSeesStatusLinesWhenLogbackPrintsThem() throws Exception {
    // Positive control: with logback's debug switch its status list is printed, and found.
    CliProcess.Result r = startHost(Map.of(), List.of("-Dlogback.debug=true"));
    assertFalse(statusLines(r).isEmpty(), r.out());
  }
}
