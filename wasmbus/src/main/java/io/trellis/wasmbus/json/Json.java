package io.trellis.wasmbus.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/** The shared, configured ObjectMapper; thread-safe once configured. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  /**
   * Parses bytes that must hold a JSON object. {@code error} turns the problem ("not valid JSON:
   * ..." or "not a JSON object, got array") and its cause (null for the latter) into the caller's
   * own exception, so each format keeps its exception type and names itself.
   */
  public static ObjectNode readObject(
      byte[] json, BiFunction<String, @Nullable Exception, ? extends RuntimeException> error) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      throw error.apply("not valid JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw error.apply(
          "not a JSON object, got "
              + (n == null || n.isMissingNode()
                  ? "nothing"
                  : n.getNodeType().toString().toLowerCase(Locale.ROOT)),
          null);
    }
    return (ObjectNode) n;
  }

  /** UTF-8 JSON of a tree; a tree of plain nodes cannot fail to serialise. */
  public static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
    }
  }
}
