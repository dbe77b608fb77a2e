package io.trellis.wasmbus.settings;

import java.util.Locale;

/**
 * The one parser for on/off settings (host configuration, the CLI's environment, link values), so
 * that a value means the same everywhere. Strict: a typo must not silently switch a feature off, or
 * leave it on.
 */
public final class BooleanSetting {
  /** The accepted spellings, for error messages and docs. */
  public static final String ACCEPTED =
      "true/false, yes/no, on/off, enabled/disabled or 1/0, in any case";

  private BooleanSetting() {}

  /**
   * Parses {@code value} (surrounding blanks ignored).
   *
   * @param setting how the error names the setting, e.g. {@code
   *     "WASMCLOUD_STRUCTURED_LOGGING_ENABLED"} or {@code "link value TLS"}
   * @throws InvalidSettingException when {@code value} is null or not one of {@link #ACCEPTED}
   */
  public static boolean parse(String setting, String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "on", "enabled", "1" -> true;
      case "false", "no", "off", "disabled", "0" -> false;
      default ->
          throw new InvalidSettingException(
              setting
                  + " '"
                  + (value == null ? "" : value)
                  + "' is not a boolean (accepted: "
                  + ACCEPTED
                  + ")");
    };
  }

  /**
   * {@link #parse}, or {@code defaultValue} when the value is absent or blank.
   *
   * @throws InvalidSettingException when a value is given but is not one of {@link #ACCEPTED}
   */
  public static boolean parse(String setting, String value, boolean defaultValue) {
    return value == null || value.isBlank() ? defaultValue : parse(setting, value);
  }
}
