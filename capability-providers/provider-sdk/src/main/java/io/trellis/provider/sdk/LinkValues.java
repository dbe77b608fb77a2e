package io.trellis.provider.sdk;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.settings.BooleanSetting;
import io.trellis.wasmbus.settings.InvalidSettingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Typed, case-insensitive access to a link's {@code values} ({@code PORT} and {@code port} are the
 * same key, as in wasmCloud's providers). Every parse error names the key and the value, except for
 * {@link #configJson}, whose document may hold secrets.
 */
public final class LinkValues {
  private final Map<String, String> values;

  private LinkValues(Map<String, String> values) {
    TreeMap<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (m.put(e.getKey(), e.getValue()) != null) {
        throw new InvalidLinkValueException(
            "link values hold '" + e.getKey() + "' more than once when case is ignored");
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
      throw new InvalidLinkValueException(
          "link value " + key + "='" + v.get() + "' is not an integer");
    }
  }

  /** A number of milliseconds, at least 1. */
  public Duration getMillis(String key, Duration defaultValue) {
    long ms = getLong(key, defaultValue.toMillis());
    if (ms < 1) {
      throw new InvalidLinkValueException(
          "link value " + key + "='" + ms + "' must be at least 1 (milliseconds)");
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
    return parseSize("link value " + key, v.get());
  }

  /**
   * Parses a byte size as {@link #getSize} does, for sizes that come from elsewhere (a field of
   * {@link #configJson}).
   *
   * @param name how the error names the value, e.g. {@code "config_json max_content_len"}
   */
  public static long parseSize(String name, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
      unit =
          switch (t.charAt(t.length() - 1)) {
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
      throw new InvalidLinkValueException(
          name + "='" + text + "' is not a size (bytes, or a number with k, m or g)");
    }
  }

  /**
   * A switch, parsed as every Trellis setting is ({@link BooleanSetting#ACCEPTED}).
   *
   * @throws InvalidLinkValueException when the value is set but is not a boolean
   */
  public boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return BooleanSetting.parse("link value " + key, v.get());
    } catch (InvalidSettingException e) {
      throw new InvalidLinkValueException(e.getMessage());
    }
  }

  /** A comma-separated list, items trimmed, empty items dropped. */
  public List<String> getList(String key) {
    return get(key).map(LinkValues::splitList).orElse(List.of());
  }

  /** Splits a comma-separated list as {@link #getList} does: items trimmed, empty items dropped. */
  public static List<String> splitList(String text) {
    List<String> out = new ArrayList<>();
    for (String s : text.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return List.copyOf(out);
  }

  /**
   * The JSON settings document of wasmCloud's providers: {@code config_json}, or, when that is
   * absent, {@code config_b64} (the same document base64-encoded, with or without '=' padding,
   * since httpserver-rs decodes without it). Errors name the key and the position, but do not echo
   * the document: it may carry credentials (messaging's {@code auth_seed}).
   *
   * @return empty when neither key is set
   * @throws InvalidLinkValueException when the value is not base64, not JSON or not an object
   */
  public Optional<JsonNode> configJson() {
    Optional<String> json = get("config_json");
    if (json.isPresent()) {
      return Optional.of(parseObject("config_json", json.get()));
    }
    return get("config_b64").map(b64 -> parseObject("config_b64", decodeBase64(b64)));
  }

  private static String decodeBase64(String b64) {
    try {
      // padding is optional: strip it so both forms decode the same way
      return new String(Base64.getDecoder().decode(b64.replace("=", "")), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidLinkValueException("link value config_b64 is not base64: " + e.getMessage());
    }
  }

  private static JsonNode parseObject(String key, String text) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidLinkValueException(
          "link value "
              + key
              + " is not valid JSON: "
              + e.getOriginalMessage()
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (n == null || !n.isObject()) {
      throw new InvalidLinkValueException(
          "link value "
              + key
              + " must be a JSON object, got "
              + (n == null ? "nothing" : n.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    return n;
  }

  /**
   * The strings of the array {@code field} of a {@link #configJson} object (or of an object inside
   * it, such as httpserver's {@code cors}).
   *
   * @return empty when the field is absent or null
   * @throws InvalidLinkValueException when it is not an array of strings
   */
  public static Optional<List<String>> jsonList(@Nullable JsonNode object, String field) {
    JsonNode arr = object == null ? null : object.get(field);
    if (arr == null || arr.isNull()) {
      return Optional.empty();
    }
    if (!arr.isArray()) {
      throw new InvalidLinkValueException(
          "config_json " + field + "=" + arr + " is not an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : arr) {
      if (!item.isTextual()) {
        throw new InvalidLinkValueException(
            "config_json " + field + " holds " + item + ", which is not a string");
      }
      out.add(item.asText());
    }
    return Optional.of(List.copyOf(out));
  }

  @Override
  public String toString() {
    return "LinkValues" + values.keySet();
  }
}
