package io.trellis.wasmbus.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  public static com.fasterxml.jackson.databind.node.ObjectNode readObject(
      byte[] json,
      java.util.function.BiFunction<String, @Nullable Exception, ? extends RuntimeException>
          error) {
    com.fasterxml.jackson.databind.JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw error.apply("not valid JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw error.apply(
          "not a JSON object, got "
              + (n == null || n.isMissingNode()
                  ? "nothing"
                  : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)),
          null);
    }
    return (com.fasterxml.jackson.databind.node.ObjectNode) n;
  }

  /** UTF-8 JSON of a tree; a tree of plain nodes cannot fail to serialise. */
  public static byte[] bytes(com.fasterxml.jackson.databind.JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
    }
  }
}
