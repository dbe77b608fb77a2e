package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reading of control-interface JSON: wrong types and missing required fields are errors that name
 * the message and the field, so a bad command never half-works. Unknown fields are accepted and
 * logged at debug, as the OTP host ignores them: a newer client that adds a field must not be
 * refused by every host (docs/DECISIONS.md).
 */
public final class CtlJson {
  private static final System.Logger LOG = System.getLogger(CtlJson.class.getName());

  private final ObjectNode node;
  private final String what;

  private CtlJson(ObjectNode node, String what) {
    this.node = node;
    this.what = what;
  }

  /**
   * Parses an object; fields not in {@code allowed} are ignored (and logged at debug).
   *
   * @param what the message name used in errors, e.g. "start actor command"
   */
  public static CtlJson parse(byte[] bytes, String what, Set<String> allowed) {
    JsonNode n;
    try {
      n = bytes == null || bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new CtlParseException(
          "invalid " + what + ": malformed JSON: " + firstLine(e.getMessage()));
    }
    if (n == null || !n.isObject()) {
      throw new CtlParseException(
          "invalid "
              + what
              + ": expected a JSON object, got "
              + (n == null ? "an empty body" : n.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    Set<String> unknown = new TreeSet<>();
    n.fieldNames()
        .forEachRemaining(
            f -> {
              if (!allowed.contains(f)) {
                unknown.add(f);
              }
            });
    if (!unknown.isEmpty()) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () ->
              what
                  + ": ignoring unknown field(s) "
                  + unknown
                  + " (known: "
                  + new TreeSet<>(allowed)
                  + ")");
    }
    return new CtlJson((ObjectNode) n, what);
  }

  private static String firstLine(@Nullable String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  public String requiredString(String field) {
    String s = optionalString(field);
    if (s == null || s.isBlank()) {
      throw new CtlParseException("invalid " + what + ": '" + field + "' is required");
    }
    return s;
  }

  /** The string, or {@code def} when the field is absent or null. */
  public String optionalString(String field, String def) {
    String s = optionalString(field);
    return s == null ? def : s;
  }

  /** The string, or null when the field is absent or null. */
  public @Nullable String optionalString(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new CtlParseException(
          "invalid " + what + ": '" + field + "' must be a string, got " + v);
    }
    return v.asText();
  }

  public long requiredInt(String field, long min, long max) {
    if (!node.hasNonNull(field)) {
      throw new CtlParseException("invalid " + what + ": '" + field + "' is required");
    }
    return optionalInt(field, 0, min, max);
  }

  public long optionalInt(String field, long def, long min, long max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber()) {
      throw new CtlParseException(
          "invalid " + what + ": '" + field + "' must be an integer, got " + v);
    }
    long n = v.asLong();
    if (n < min || n > max) {
      throw new CtlParseException(
          "invalid "
              + what
              + ": '"
              + field
              + "' must be between "
              + min
              + " and "
              + max
              + ", got "
              + n);
    }
    return n;
  }

  public Map<String, String> stringMap(String field) {
    JsonNode v = node.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw new CtlParseException(
          "invalid " + what + ": '" + field + "' must be an object of strings, got " + v);
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isTextual()) {
        throw new CtlParseException(
            "invalid "
                + what
                + ": '"
                + field
                + "."
                + e.getKey()
                + "' must be a string, got "
                + e.getValue());
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  public JsonNode raw() {
    return node;
  }

  /** Serialises an object node to UTF-8 bytes. */
  public static byte[] bytes(JsonNode n) {
    return Json.bytes(n);
  }

  public static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  public static ObjectNode mapNode(Map<String, String> m) {
    ObjectNode o = object();
    m.forEach(o::put);
    return o;
  }
}
