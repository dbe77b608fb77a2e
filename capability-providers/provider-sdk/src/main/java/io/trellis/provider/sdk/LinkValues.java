package io.trellis.provider.sdk;

import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Typed, case-insensitive access to a link's {@code values} ({@code PORT} and {@code port} are
 * the same key, as in wasmCloud's providers). Every parse error names the key and the value.
 */
public final class LinkValues {
  private final Map<String, String> values;

  private LinkValues(Map<String, String> values) {
    TreeMap<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (m.put(e.getKey(), e.getValue()) != null) {
        throw new InvalidLinkValueException("link values hold '" + e.getKey()
            + "' more than once when case is ignored");
      }
    }
    this.values = m;
  }

  public static LinkValues of(LinkDefinition link) {
    return new LinkValues(link.values());
  }

  public static LinkValues of(Map<String, String> values) {
    return new LinkValues(values);
  }

  /** The value, if present and not blank. */
  public Optional<String> get(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  public String get(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  /** The first present key of several synonyms ({@code "URI", "URL"}). */
  public Optional<String> first(String... keys) {
    for (String k : keys) {
      Optional<String> v = get(k);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  public long getLong(String key, long defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw new InvalidLinkValueException("link value " + key + "='" + v.get() + "' is not an integer");
    }
  }

  /** A number of milliseconds, at least 1. */
  public Duration getMillis(String key, Duration defaultValue) {
    long ms = getLong(key, defaultValue.toMillis());
    if (ms < 1) {
      throw new InvalidLinkValueException("link value " + key + "='" + ms + "' must be at least 1 (milliseconds)");
    }
    return Duration.ofMillis(ms);
  }

  /**
   * A byte size: a number, or a number followed by {@code k}, {@code m} or {@code g} (multiples of
   * 1024, either case), as wasmCloud's httpserver reads {@code max_content_len}.
   */
  public long getSize(String key, long defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    return parseSize(key, v.get());
  }

  static long parseSize(String key, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
      unit = switch (t.charAt(t.length() - 1)) {
        case 'k' -> 1024L;
        case 'm' -> 1024L * 1024;
        default -> 1024L * 1024 * 1024;
      };
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new InvalidLinkValueException("link value " + key + "='" + text
          + "' is not a size (bytes, or a number with k, m or g)");
    }
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new InvalidLinkValueException("link value " + key + "='" + v.get() + "' is not true or false");
    };
  }

  /** A comma-separated list, items trimmed, empty items dropped. */
  public List<String> getList(String key) {
    List<String> out = new ArrayList<>();
    get(key).ifPresent(v -> {
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    });
    return out;
  }

  @Override
  public String toString() {
    return "LinkValues" + values.keySet();
  }
}
