package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The generic command reply {@code {"accepted": bool, "error": str}} (PROTOCOL.md §8.1). An
 * accepted ack may carry a note in {@code error}: nothing to do (a stop of something absent) or
 * part of the request dropped (PROTOCOL.md §8.3).
 */
public record Ack(boolean accepted, String error) {
  public static Ack ok() {
    return new Ack(true, "");
  }

  /**
   * Accepted, with a note for the user (readers that only look at {@code accepted} lose nothing).
   */
  public static Ack okWithNote(String note) {
    return new Ack(true, note);
  }

  public static Ack error(@Nullable String error) {
    return new Ack(false, error == null ? "" : error);
  }

  public byte[] toJson() {
    return CtlJson.bytes(CtlJson.object().put("accepted", accepted).put("error", error));
  }

  public static Ack fromJson(byte[] bytes) {
    try {
      JsonNode n = Json.MAPPER.readTree(bytes);
      if (n == null || !n.has("accepted")) {
        throw new CtlParseException("not an ack: " + new String(bytes, StandardCharsets.UTF_8));
      }
      return new Ack(n.get("accepted").asBoolean(), n.path("error").asText(""));
    } catch (IOException e) {
      throw new CtlParseException("not an ack (malformed JSON): " + e.getMessage());
    }
  }
}
