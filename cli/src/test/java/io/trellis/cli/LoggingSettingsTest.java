package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.host.config.HostConfigLoader;
import io.trellis.wasmbus.settings.InvalidSettingException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI reads the wasmCloud logging variables with the same switch parser as the host. */
class LoggingSettingsTest {
  private static final String STRUCTURED = "WASMCLOUD_STRUCTURED_LOGGING_ENABLED";

  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty("trellis.log.appender");
    System.clearProperty("trellis.log.level");
  }

  private boolean hostSays(String value) {
    return HostConfigLoader.load(
            Map.of(STRUCTURED, value, "HOST_CONFIG", dir.resolve("h.json").toString()),
            null,
            Map.of(),
            dir)
        .observability()
        .structuredLogging();
  }

  @Test
  void onSwitchesToJsonLogsAsItDoesForTheHost() {
    Trellis.configureLogging(Map.of(STRUCTURED, "on"));
    assertEquals("JSON", System.getProperty("trellis.log.appender"));
    assertTrue(hostSays("on"), "the host reads 'on' as true too");
  }

  @Test
  void offOrUnsetKeepsTextLogs() {
    Trellis.configureLogging(Map.of(STRUCTURED, "OFF"));
    assertNull(System.getProperty("trellis.log.appender"));
    Trellis.configureLogging(Map.of());
    assertNull(System.getProperty("trellis.log.appender"));
  }

  @Test
  void aValueThatIsNotABooleanIsRefusedNamingTheVariableAndTheValue() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> Trellis.configureLogging(Map.of(STRUCTURED, "jsn")));
    assertTrue(e.getMessage().startsWith(STRUCTURED + " 'jsn' is not a boolean"), e.getMessage());
    assertNull(System.getProperty("trellis.log.appender"));
  }

  @Test
  void logLevelPrefersTheCurrentVariableAndMapsTraceToDebug() {
    Trellis.configureLogging(
        Map.of("WASMCLOUD_LOG_LEVEL", "trace", "WASMCLOUD_STRUCTURED_LOG_LEVEL", "warn"));
    assertEquals("DEBUG", System.getProperty("trellis.log.level"));
  }
}
