package io.trellis.cli.claims;

import java.time.Duration;
import java.util.Locale;

/** "30" (days, as wash), "30d", "12h", "45m" or "10s". */
final class Durations {
  private Durations() {}

  static Duration parse(String text, String option) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d+")) {
        return Duration.ofDays(Long.parseLong(t));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 'd' -> Duration.ofDays(n);
        case 'h' -> Duration.ofHours(n);
        case 'm' -> Duration.ofMinutes(n);
        case 's' -> Duration.ofSeconds(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          option
              + " '"
              + text
              + "' is not a duration: use days (30) or a number with d, h, m or s (12h)");
    }
  }
}
