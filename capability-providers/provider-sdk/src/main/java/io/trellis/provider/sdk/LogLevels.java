package io.trellis.provider.sdk;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Maps the host's {@code log_level} (a Rust env-filter directive such as {@code info} or {@code
 * wasmcloud=debug,info}) to slf4j-simple's default level. Must run before the first logger is
 * created, which is why {@code ProviderRunner} creates the provider only afterwards.
 */
final class LogLevels {
  private static final String SIMPLE_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  private LogLevels() {}

  public static void configure(@Nullable String directive) {
    if (System.getProperty(SIMPLE_LEVEL) == null) {
      System.setProperty(SIMPLE_LEVEL, level(directive));
    }
    // One line per event on stderr, with time and thread: the host captures and prefixes it.
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  /** The global level of a directive: its last bare level token, else "info". */
  static String level(@Nullable String directive) {
    String found = "info";
    if (directive == null) {
      return found;
    }
    for (String part : directive.split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      switch (p) {
        case "trace", "debug", "info", "error" -> found = p;
        case "warn", "warning" -> found = "warn";
        case "off" -> found = "off";
        default -> {}
      }
    }
    return found;
  }
}
