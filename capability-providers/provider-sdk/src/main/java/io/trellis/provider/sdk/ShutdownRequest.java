package io.trellis.provider.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The body of a shutdown request (PROTOCOL.md §7.5): {@code {"host_id":"N..."}}, or empty from old
 * hosts.
 */
final class ShutdownRequest {
  private ShutdownRequest() {}

  /** The requested host id; {@code ""} for an empty body or no host id; null when unreadable. */
  static @Nullable String hostId(byte @Nullable [] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n == null || n.isMissingNode()) {
        return "";
      }
      if (!n.isObject()) {
        return null;
      }
      JsonNode id = n.get("host_id");
      return id == null || id.isNull() ? "" : id.asText();
    } catch (IOException e) {
      return null;
    }
  }
}
