package io.trellis.wasmbus.rpc;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An RPC invocation on the lattice (PROTOCOL.md §4.3). {@code msg} is empty when the payload was
 * chunked to the object store; {@code contentLength} then gives its real size.
 */
public record Invocation(
    WasmCloudEntity origin,
    WasmCloudEntity target,
    String operation,
    byte[] msg,
    String id,
    String encodedClaims,
    String hostId,
    @Nullable Long contentLength,
    Map<String, String> traceContext) {

  public Invocation {
    msg = msg == null ? new byte[0] : msg;
    traceContext = traceContext == null ? Map.of() : traceContext;
  }

  /** True when the payload lives in the object store under this invocation's id. */
  public boolean isChunked() {
    return contentLength != null && contentLength > msg.length;
  }

  public Invocation withMsg(byte[] payload) {
    return new Invocation(
        origin, target, operation, payload, id, encodedClaims, hostId, contentLength, traceContext);
  }

  /** The same invocation carrying {@code trace} in its {@code traceContext} field (unsigned). */
  public Invocation withTraceContext(Map<String, String> trace) {
    return new Invocation(
        origin, target, operation, msg, id, encodedClaims, hostId, contentLength, trace);
  }
}
