package io.trellis.host.runtime;

import io.trellis.wasmbus.rpc.TraceContext;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The per-call scratch state of one instance, exactly what the waPC functions read and write. Reset
 * before every guest call; the host response and error are reset before every host call.
 */
final class CallState {
  byte[] operation = new byte[0];
  byte[] payload = new byte[0];
  byte @Nullable [] guestResponse;
  @Nullable String guestError;
  byte @Nullable [] hostResponse;
  byte @Nullable [] hostError;

  /** The trace context of the guest call, handed to each host call it makes (PROTOCOL.md §16). */
  @Nullable TraceContext trace;

  void beginGuestCall(String op, byte[] msg, @Nullable TraceContext traceContext) {
    operation = op.getBytes(StandardCharsets.UTF_8);
    payload = msg;
    trace = traceContext;
    guestResponse = null;
    guestError = null;
    hostResponse = null;
    hostError = null;
  }

  void beginHostCall() {
    hostResponse = null;
    hostError = null;
  }

  void endCall() {
    // Drop references so a pooled idle instance does not pin large payloads.
    payload = new byte[0];
    trace = null;
    guestResponse = null;
    hostResponse = null;
    hostError = null;
  }
}
