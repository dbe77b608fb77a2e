package io.trellis.ctl;

import io.nats.client.Connection;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.rpc.InvocationClient;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.RequestFailure;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Sends invocations straight to an actor, as {@code wash call} does (PROTOCOL.md §13 item 15):
 * signed with a cluster seed whose public key the hosts accept as an issuer, to {@code
 * wasmbus.rpc.{lattice}.{actor}}. Payloads and replies over 900 KiB go through the object store
 * (PROTOCOL.md §4.7).
 *
 * <p>The origin is {@link #DEFAULT_ORIGIN}: a non-actor key with empty contract and link name,
 * which receiving hosts treat like an actor-to-actor call (PROTOCOL.md §4.5 step 7), so no
 * capability claim is needed; its bus URL is {@code wasmbus:////trellis-cli}.
 */
public final class ActorCaller {
  public static final WasmCloudEntity DEFAULT_ORIGIN = new WasmCloudEntity("trellis-cli", "", "");

  private final String lattice;
  private final Duration timeout;
  private final WasmCloudEntity origin;
  private final InvocationClient client;
  private final Requester requester;

  /** Uses the client's connection, lattice, JetStream domain and timeout. */
  public ActorCaller(CtlClient client, @Nullable String jsDomain, KeyPair clusterKey) {
    this(
        client.connection(),
        client.latticePrefix(),
        jsDomain,
        clusterKey,
        client.timeout(),
        DEFAULT_ORIGIN);
  }

  /**
   * @param clusterKey a cluster key with its seed (SC…); its public key goes into {@code host_id},
   *     as the OTP host does for invocations it signs (PROTOCOL.md §13 item 4)
   */
  public ActorCaller(
      Connection nc,
      String lattice,
      @Nullable String jsDomain,
      KeyPair clusterKey,
      Duration timeout,
      WasmCloudEntity origin) {
    this.lattice = lattice;
    this.timeout = timeout;
    this.origin = origin;
    this.client =
        new InvocationClient(
            nc,
            new InvocationSigner(clusterKey, clusterKey.publicKey()),
            new ChunkStore(nc, lattice, jsDomain));
    this.requester = new Requester(nc, String.valueOf(nc.getConnectedUrl()));
  }

  /**
   * Invokes and returns the actor's response with its full payload. A failure reported by the actor
   * or its host comes back as {@link InvocationResponse#error()}, not as an exception.
   *
   * @throws NoRespondersException when no host runs the actor
   * @throws CtlTimeoutException when it does not answer within the timeout
   * @throws BadReplyException when the reply is not an InvocationResponse, or its chunked payload
   *     cannot be fetched
   * @throws CtlConnectException when the connection is closed, or a large payload cannot be stored
   */
  public InvocationResponse invoke(String actorId, String operation, byte[] payload) {
    String subject = Subjects.actorRpc(lattice, actorId);
    return switch (client.invoke(
        subject, origin, WasmCloudEntity.actor(actorId), operation, payload, timeout)) {
      case InvocationResponse response -> response;
      case RequestFailure f ->
          throw requester.failure(
              f,
              subject,
              new Requester.Target(
                  operation,
                  "actor " + actorId,
                  "actor " + actorId + " is not running in lattice '" + lattice + "'"));
    };
  }
}
