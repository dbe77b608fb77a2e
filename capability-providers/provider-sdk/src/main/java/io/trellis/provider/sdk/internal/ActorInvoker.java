package io.trellis.provider.sdk.internal;

import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.trellis.provider.sdk.ActorCallException;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Provider → actor calls (PROTOCOL.md §7.3): origin {provider key, link's contract, link name},
 * signed with the host's invocation seed, {@code host_id} = the host's id, chunked over 900 KiB.
 */
final class ActorInvoker {
  private final Connection connection;
  private final InvocationSigner signer;
  private final ChunkStore chunks;
  private final String lattice;
  private final String providerKey;

  ActorInvoker(
      Connection connection,
      InvocationSigner signer,
      ChunkStore chunks,
      String lattice,
      String providerKey) {
    this.connection = connection;
    this.signer = signer;
    this.chunks = chunks;
    this.lattice = lattice;
    this.providerKey = providerKey;
  }

  byte[] call(LinkDefinition link, String operation, byte[] payload, Duration timeout) {
    WasmCloudEntity origin =
        WasmCloudEntity.provider(providerKey, link.contractId(), link.linkName());
    Invocation inv;
    try {
      inv =
          chunks.offload(
              signer.sign(origin, WasmCloudEntity.actor(link.actorId()), operation, payload));
    } catch (LatticeException e) {
      throw new ActorCallException.Failed(
          "cannot send a "
              + payload.length
              + "-byte "
              + operation
              + " to actor "
              + link.actorId()
              + ": "
              + e.getMessage(),
          e);
    }
    Duration wait = ChunkStore.timeout(inv, timeout);
    String subject = Subjects.actorRpc(lattice, link.actorId());
    CompletableFuture<Message> future = connection.request(subject, InvocationCodec.encode(inv));
    Message reply;
    try {
      reply = future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ActorCallException.Timeout(
          "actor "
              + link.actorId()
              + " did not answer "
              + operation
              + " within "
              + wait.toMillis()
              + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JetStreamStatusException s
          && s.getStatus() != null
          && s.getStatus().isNoResponders()) {
        throw new ActorCallException.Unreachable(
            "no responders: actor "
                + link.actorId()
                + " is not running on any host of lattice '"
                + lattice
                + "'",
            e.getCause());
      }
      throw new ActorCallException.Unreachable(
          "calling actor " + link.actorId() + " failed: " + e.getCause(), e);
    } catch (CancellationException e) {
      throw new ActorCallException.Unreachable(
          "the call to actor " + link.actorId() + " was cancelled (NATS connection lost?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new ActorCallException.Failed("interrupted while calling actor " + link.actorId(), e);
    } finally {
      chunks.release(inv);
    }
    return unpack(reply, link.actorId(), inv.id());
  }

  private byte[] unpack(Message reply, String actorId, String id) {
    InvocationResponse resp;
    try {
      resp = InvocationCodec.decodeResponse(reply.getData());
    } catch (LatticeException e) {
      throw new ActorCallException.Failed(
          "actor " + actorId + " sent an undecodable response: " + e.getMessage(), e);
    }
    if (!resp.isSuccess()) {
      throw new ActorCallException.ErrorResponse(resp.error());
    }
    try {
      return chunks.payload(id, resp);
    } catch (LatticeException e) {
      throw new ActorCallException.Failed(
          "cannot fetch the large response of actor " + actorId + ": " + e.getMessage(), e);
    }
  }
}
