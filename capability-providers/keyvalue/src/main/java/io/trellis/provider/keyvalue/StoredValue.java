package io.trellis.provider.keyvalue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What one KV entry holds, as a small JSON document so that strings, lists and sets share one key
 * space (as in Redis) and a value can carry its own expiry: {@code {"t":"s","v":"text","x":<expiry,
 * epoch ms>}}, {@code {"t":"l","v":[...]}}, {@code {"t":"z","v":[...sorted]}}. Bytes that are not
 * such a document (written by another tool) read as a plain string.
 *
 * <p>JetStream 2.9 has no per-key TTL, so {@code expires} is stored here and an expired value is
 * treated as absent by every operation.
 */
sealed interface StoredValue {
  record Str(String value, long expiresAtMillis) implements StoredValue {}

  record ListValue(List<String> items) implements StoredValue {}

  record SetValue(TreeSet<String> members) implements StoredValue {}

  default boolean expired(long nowMillis) {
    return this instanceof Str s && s.expiresAtMillis() > 0 && s.expiresAtMillis() <= nowMillis;
  }

  default String kind() {
    return switch (this) {
      case Str s -> "a string";
      case ListValue l -> "a list";
      case SetValue z -> "a set";
    };
  }

  default byte[] encode() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    switch (this) {
      case Str s -> {
        o.put("t", "s").put("v", s.value());
        if (s.expiresAtMillis() > 0) {
          o.put("x", s.expiresAtMillis());
        }
      }
      case ListValue l -> {
        ArrayNode a = o.put("t", "l").putArray("v");
        l.items().forEach(a::add);
      }
      case SetValue z -> {
        ArrayNode a = o.put("t", "z").putArray("v");
        z.members().forEach(a::add);
      }
    }
    return Json.bytes(o);
  }

  static StoredValue decode(byte @Nullable [] bytes) {
    if (bytes == null) {
      return new Str("", 0);
    }
    JsonNode n = null;
    if (bytes.length > 0 && bytes[0] == '{') {
      try {
        n = Json.MAPPER.readTree(bytes);
      } catch (IOException e) {
        n = null;
      }
    }
    if (n == null || !n.isObject() || !n.hasNonNull("t") || !n.has("v")) {
      return new Str(new String(bytes, StandardCharsets.UTF_8), 0);
    }
    return switch (n.get("t").asText()) {
      case "s" -> new Str(n.get("v").asText(), n.hasNonNull("x") ? n.get("x").asLong() : 0);
      case "l" -> new ListValue(strings(n.get("v")));
      case "z" -> new SetValue(new TreeSet<>(strings(n.get("v"))));
      default ->
          throw new LatticeException("stored value has unknown type '" + n.get("t").asText() + "'");
    };
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr != null && arr.isArray()) {
      arr.forEach(e -> out.add(e.asText()));
    }
    return out;
  }
}
