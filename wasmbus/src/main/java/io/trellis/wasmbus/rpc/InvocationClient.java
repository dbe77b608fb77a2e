package io.trellis.wasmbus.rpc;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.rpc.RequestFailure.BadReply;
import io.trellis.wasmbus.rpc.RequestFailure.Failed;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Sends invocations over the lattice, the one way every sender does it (the host's outbound calls,
 * providers calling actors, the ctl client's direct calls): sign with the cluster seed, put a
 * payload over 900 KiB in the object store (PROTOCOL.md §4.7), send as a NATS request, wait (13 s
 * longer when chunked), delete the request's object after any answer, timeout or interrupt, decode
 * the {@link InvocationResponse} and fetch a chunked response body. Thread-safe.
 *
 * <p>Every outcome is returned, never thrown; each caller turns the {@link RequestFailure}s into
 * its own errors, naming what it called.
 */
public final class InvocationClient {
  private final Connection connection;
  private final InvocationSigner signer;
  private final ChunkStore chunks;

  /**
   * @param chunks the lattice's object store, shared with whoever answers on the same lattice
   */
  public InvocationClient(Connection connection, InvocationSigner signer, ChunkStore chunks) {
    this.connection = connection;
    this.signer = signer;
    this.chunks = chunks;
  }

  /**
   * Invokes {@code operation} on {@code target}, which answers on {@code subject}.
   *
   * @param subject the target's RPC subject ({@code Subjects.actorRpc} or {@code
   *     Subjects.providerRpc}); the caller's, because only it knows which kind of target it meant
   * @param timeout how long to wait for a small call; chunked calls get {@link
   *     ChunkStore#CHUNKED_EXTRA} more
   * @return the response with its full payload, or how the call failed
   */
  public InvocationOutcome invoke(
      String subject,
      WasmCloudEntity origin,
      WasmCloudEntity target,
      String operation,
      byte[] payload,
      Duration timeout) {
    return invoke(subject, origin, target, operation, payload, timeout, null);
  }

  /**
   * {@link #invoke(String, WasmCloudEntity, WasmCloudEntity, String, byte[], Duration)} carrying
   * {@code trace} both as NATS headers and in the Invocation's {@code traceContext} field
   * (PROTOCOL.md §16.1); null sends neither, and then costs nothing.
   */
  public InvocationOutcome invoke(
      String subject,
      WasmCloudEntity origin,
      WasmCloudEntity target,
      String operation,
      byte[] payload,
      Duration timeout,
      @Nullable TraceContext trace) {
    Invocation sent;
    try {
      sent = offload(signer.sign(origin, target, operation, payload));
    } catch (LatticeException e) {
      return new Failed(
          "cannot send a " + payload.length + "-byte " + operation + ": " + e.getMessage(), e);
    }
    Headers headers = null;
    if (trace != null) {
      sent = sent.withTraceContext(trace.asMap());
      headers = trace.toHeaders();
    }
    Message reply;
    try {
      reply =
          NatsRequests.exchange(
              connection,
              subject,
              headers,
              InvocationCodec.encode(sent),
              replyTimeout(sent, timeout));
    } catch (NatsRequests.Unanswered e) {
      return e.failure;
    } finally {
      release(sent);
    }
    return unpack(reply, sent.id());
  }

  /**
   * A payload over the threshold goes to the object store under the invocation id, and the
   * invocation sent carries none; a small one is sent unchanged.
   */
  private Invocation offload(Invocation inv) {
    if (!ChunkStore.needsChunking(inv.msg().length)) {
      return inv;
    }
    chunks.put(inv.id(), inv.msg());
    return inv.withMsg(new byte[0]);
  }

  private static Duration replyTimeout(Invocation sent, Duration base) {
    return sent.isChunked() ? base.plus(ChunkStore.CHUNKED_EXTRA) : base;
  }

  /**
   * After any answer, timeout or interrupt: the receiver deletes the object when it takes it, but
   * not when it refused the call first or died. Deleting twice is harmless.
   */
  private void release(Invocation sent) {
    if (!sent.isChunked()) {
      return;
    }
    // After an interrupt jnats would refuse the delete request; delete first, then re-interrupt.
    boolean interrupted = Thread.interrupted();
    try {
      chunks.delete(sent.id());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private InvocationOutcome unpack(Message reply, String sentId) {
    InvocationResponse response;
    try {
      response = InvocationCodec.decodeResponse(reply.getData());
    } catch (LatticeException e) {
      return new BadReply("not an InvocationResponse: " + e.getMessage(), e);
    }
    if (!response.isChunked()) {
      return response;
    }
    try {
      // by our own id: the response's invocation_id is not signed
      Long length = response.contentLength();
      return length == null
          ? response
          : response.withMsg(chunks.take(ChunkStore.responseName(sentId), length));
    } catch (LatticeException e) {
      return new BadReply("its chunked body is unavailable: " + e.getMessage(), e);
    }
  }
}
