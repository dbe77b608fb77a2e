package io.trellis.host;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A test stand-in for a capability provider: sends signed invocations to actors, and (when serving)
 * answers invocations on its RPC subject after validating them exactly as a provider must.
 */
public final class FakeProvider implements AutoCloseable {
  public final KeyPair key = KeyPair.generate(KeyType.SERVICE);
  public final String contract;
  public final List<Invocation> received = new CopyOnWriteArrayList<>();
  private final Connection nc;
  private final String lattice;
  private final InvocationSigner signer;
  private final InvocationValidator validator;
  private Dispatcher dispatcher;

  public FakeProvider(Connection nc, String lattice, KeyPair cluster, String contract) {
    this.nc = nc;
    this.lattice = lattice;
    this.contract = contract;
    this.signer = new InvocationSigner(cluster, cluster.publicKey());
    this.validator = new InvocationValidator(List.of(cluster.publicKey()));
  }

  public String publicKey() {
    return key.publicKey();
  }

  public WasmCloudEntity entity() {
    return WasmCloudEntity.provider(key.publicKey(), contract, "default");
  }

  public Invocation sign(String actorKey, String operation, byte[] payload) {
    return signer.sign(entity(), WasmCloudEntity.actor(actorKey), operation, payload);
  }

  /** Sends an invocation to an actor and decodes the reply. */
  public InvocationResponse call(String actorKey, Invocation inv, Duration timeout)
      throws Exception {
    byte[] reply =
        nc.request(Subjects.actorRpc(lattice, actorKey), InvocationCodec.encode(inv), timeout)
            .getData();
    return InvocationCodec.decodeResponse(reply);
  }

  public InvocationResponse call(String actorKey, String operation, byte[] payload)
      throws Exception {
    return call(actorKey, sign(actorKey, operation, payload), Duration.ofSeconds(10));
  }

  /** Serves {@code wasmbus.rpc.{lattice}.{pk}.default}, answering each valid invocation. */
  public FakeProvider serve(Function<Invocation, InvocationResponse> handler) {
    dispatcher =
        nc.createDispatcher(
            msg -> {
              Invocation inv = InvocationValidator.decode(msg.getData());
              received.add(inv);
              InvocationResponse resp;
              try {
                validator.verify(inv, key.publicKey());
                resp = handler.apply(inv);
              } catch (RuntimeException e) {
                resp =
                    InvocationResponse.failure(
                        inv.id(), "fake provider rejected: " + e.getMessage());
              }
              if (resp != null) {
                nc.publish(msg.getReplyTo(), InvocationCodec.encode(resp));
              }
            });
    dispatcher.subscribe(Subjects.providerRpc(lattice, key.publicKey(), "default"), "rpc");
    try {
      nc.flush(Duration.ofSeconds(2));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      nc.closeDispatcher(dispatcher);
    }
  }
}
