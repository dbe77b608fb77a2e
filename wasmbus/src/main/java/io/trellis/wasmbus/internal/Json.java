package io.trellis.wasmbus.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shared, configured ObjectMapper; thread-safe once configured. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  /** UTF-8 JSON of a tree; a tree of plain nodes cannot fail to serialise. */
  public static byte[] bytes(com.fasterxml.jackson.databind.JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
    }
  }
}
