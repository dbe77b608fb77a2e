package io.trellis.wasmbus.interfaces;

import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import org.jspecify.annotations.Nullable;

/**
 * Provider health checks (PROTOCOL.md §7.4) and the actor HealthRequest every Rust actor answers.
 */
public final class Health {
  /** {@code {"placeholder": true}}, the body the host sends to a provider's health subject. */
  public static final byte[] CHECK_REQUEST =
      MsgPackWriter.create().map(1).field("placeholder", true).toByteArray();

  public static final String ACTOR_HEALTH_OPERATION = "Actor.HealthRequest";

  private Health() {}

  /** {@code {healthy, message?}}. */
  public record HealthResponse(boolean healthy, @Nullable String message) {
    public byte[] toMsgPack() {
      MsgPackWriter w =
          MsgPackWriter.create().map(message == null ? 1 : 2).field("healthy", healthy);
      if (message != null) {
        w.field("message", message);
      }
      return w.toByteArray();
    }

    public static HealthResponse fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "HealthCheckResponse")) {
        int n = r.mapHeader("HealthCheckResponse");
        boolean healthy = false;
        String message = null;
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "healthy" -> healthy = r.bool("healthy", false);
            case "message" -> message = r.stringOrNull("message");
            default -> r.skip();
          }
        }
        return new HealthResponse(healthy, message);
      }
    }
  }
}
