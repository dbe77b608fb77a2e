package io.trellis.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads the distribution API's error body, {@code {"errors":[{"code","message"}]}}. */
final class RegistryErrors {
  private RegistryErrors() {}

  /** {@code ", CODE: message"}, or the start of a non-JSON body, or "" when there is nothing. */
  static String describe(byte[] body) {
    if (body.length == 0) {
      return "";
    }
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      JsonNode errors = n == null ? null : n.get("errors");
      if (errors != null && errors.isArray() && !errors.isEmpty()) {
        JsonNode e = errors.get(0);
        String code = e.path("code").asText("");
        String message = e.path("message").asText("");
        return ", " + code + (message.isEmpty() ? "" : ": " + message);
      }
    } catch (IOException e) {
      // not JSON: show the start of it
    }
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "" : ", " + text.replaceAll("\\s+", " ");
  }
}
