package io.trellis.wasmbus.rpc;

import io.trellis.wasmbus.chunking.ChunkStore;
import org.jspecify.annotations.Nullable;

/**
 * The reply to an invocation (PROTOCOL.md §4.6). Success iff {@code error} is null; an empty error
 * string is still an error.
 */
public record InvocationResponse(
    byte[] msg,
    String invocationId,
    @Nullable String error,
    @Nullable Long contentLength,
    @Nullable String instanceId)
    implements InvocationOutcome {

  public InvocationResponse {
    msg = msg == null ? new byte[0] : msg;
    invocationId = invocationId == null ? "" : invocationId;
  }

  public static InvocationResponse success(String invocationId, byte[] msg) {
    return new InvocationResponse(msg, invocationId, null, (long) msg.length, null);
  }

  /**
   * Answering side of PROTOCOL.md §4.7: a result over 900 KiB goes to the object store as {@code
   * {id}-r} and the response carries only its length; a smaller one is sent inline.
   *
   * @throws io.trellis.wasmbus.chunking.ChunkingException when the object store refuses the result
   */
  public static InvocationResponse success(String invocationId, byte[] result, ChunkStore chunks) {
    if (!ChunkStore.needsChunking(result.length)) {
      return success(invocationId, result);
    }
    chunks.put(ChunkStore.responseName(invocationId), result);
    return new InvocationResponse(new byte[0], invocationId, null, (long) result.length, null);
  }

  public static InvocationResponse failure(String invocationId, @Nullable String error) {
    return new InvocationResponse(
        new byte[0], invocationId, error == null ? "" : error, null, null);
  }

  public boolean isSuccess() {
    return error == null;
  }

  public boolean isChunked() {
    return error == null && contentLength != null && contentLength > msg.length;
  }

  public InvocationResponse withMsg(byte[] payload) {
    return new InvocationResponse(payload, invocationId, error, contentLength, instanceId);
  }
}
