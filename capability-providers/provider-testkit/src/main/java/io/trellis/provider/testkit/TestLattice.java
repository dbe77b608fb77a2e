package io.trellis.provider.testkit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.interfaces.Health;
import io.trellis.wasmbus.interfaces.Health.HealthResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.provider.HostData;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for a host and its lattice in provider tests: a real nats-server, a cluster key, a
 * host id, HostData for a provider, and what the host sends a provider (signed invocations, link
 * puts/deletes, health checks, shutdown requests). Each instance uses its own lattice prefix, so
 * several tests can share a server.
 */
public final class TestLattice implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final NatsServer server;
  private final boolean ownsServer;
  private final Connection connection;
  private final KeyPair clusterKey = KeyPair.generate(KeyType.CLUSTER);
  private final String hostId = KeyPair.generate(KeyType.SERVER).publicKey();
  private final String prefix =
      "test" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  private final InvocationSigner signer;

  private TestLattice(NatsServer server, boolean ownsServer) {
    this.server = server;
    this.ownsServer = ownsServer;
    this.connection = NatsServer.connect(server.clientOptions().reportNoResponders());
    this.signer = new InvocationSigner(clusterKey, clusterKey.publicKey());
  }

  /** Starts its own nats-server (closed with the lattice). */
  public static TestLattice start() {
    return new TestLattice(NatsServer.start(), true);
  }

  /** A new lattice (new prefix and keys) on an existing server. */
  public static TestLattice on(NatsServer server) {
    return new TestLattice(server, false);
  }

  public NatsServer server() {
    return server;
  }

  public Connection connection() {
    return connection;
  }

  public String prefix() {
    return prefix;
  }

  public String hostId() {
    return hostId;
  }

  public KeyPair clusterKey() {
    return clusterKey;
  }

  public ChunkStore chunkStore() {
    return new ChunkStore(connection, prefix, null);
  }

  /** A fresh actor public key. */
  public static String newActorKey() {
    return KeyPair.generate(KeyType.MODULE).publicKey();
  }

  /** A fresh provider public key. */
  public static String newProviderKey() {
    return KeyPair.generate(KeyType.SERVICE).publicKey();
  }

  public static LinkDefinition link(
      String actorId, String providerKey, String contractId, Map<String, String> values) {
    return LinkDefinition.of(
        actorId, providerKey, LinkDefinition.DEFAULT_LINK_NAME, contractId, values);
  }

  /** HostData as a Trellis host would send it, for link name {@code default}. */
  public HostData hostData(String providerKey, List<LinkDefinition> links) {
    return new HostData(
        hostId,
        prefix,
        LinkDefinition.DEFAULT_LINK_NAME,
        "",
        "",
        server.url().replaceFirst("^nats://", ""),
        false,
        Map.of(),
        UUID.randomUUID().toString(),
        providerKey,
        links,
        "",
        2000,
        List.of(clusterKey.publicKey()),
        clusterKey.seed(),
        null,
        false,
        "info");
  }

  /** An invocation from an actor to a provider, signed with this lattice's cluster key. */
  public Invocation signedCall(
      String actorId, String providerKey, String contractId, String operation, byte[] payload) {
    return signer.sign(
        WasmCloudEntity.actor(actorId),
        WasmCloudEntity.provider(providerKey, contractId, LinkDefinition.DEFAULT_LINK_NAME),
        operation,
        payload);
  }

  /** Sends an invocation to a provider's RPC subject and decodes the response (chunks included). */
  public InvocationResponse invoke(String providerKey, Invocation inv) {
    return invokeRaw(providerKey, InvocationCodec.encode(inv), Duration.ofSeconds(10));
  }

  /** As the host does for an actor's host call: sign, send, await the response. */
  public InvocationResponse call(
      String actorId, String providerKey, String contractId, String operation, byte[] payload) {
    Invocation inv = signedCall(actorId, providerKey, contractId, operation, payload);
    if (ChunkStore.needsChunking(payload.length)) {
      chunkStore().put(inv.id(), payload);
      inv = inv.withMsg(new byte[0]);
    }
    InvocationResponse r = invoke(providerKey, inv);
    if (r.isChunked()) {
      return r.withMsg(chunkStore().take(ChunkStore.responseName(inv.id()), r.contentLength()));
    }
    return r;
  }

  public InvocationResponse invokeRaw(String providerKey, byte[] bytes, Duration timeout) {
    Message reply =
        request(
            Subjects.providerRpc(prefix, providerKey, LinkDefinition.DEFAULT_LINK_NAME),
            bytes,
            timeout);
    return InvocationCodec.decodeResponse(reply.getData());
  }

  public void putLink(LinkDefinition link) {
    connection.publish(
        Subjects.linkdefsPut(prefix, link.providerId(), link.linkName()), link.toMsgPack());
    flush();
  }

  /**
   * Puts a link as a Trellis host does, with a reply subject, and returns the provider's answer
   * (PROTOCOL.md §6.3): accepted, or why the provider refused it.
   */
  public Ack putLinkForAnswer(LinkDefinition link) {
    return Ack.fromJson(
        request(
                Subjects.linkdefsPut(prefix, link.providerId(), link.linkName()),
                link.toMsgPack(),
                Duration.ofSeconds(10))
            .getData());
  }

  public void deleteLink(LinkDefinition link) {
    connection.publish(
        Subjects.linkdefsDel(prefix, link.providerId(), link.linkName()), link.toMsgPack());
    flush();
  }

  /** The raw health reply body. */
  public byte[] healthBytes(String providerKey) {
    return request(
            Subjects.health(prefix, providerKey, LinkDefinition.DEFAULT_LINK_NAME),
            Health.CHECK_REQUEST,
            Duration.ofSeconds(5))
        .getData();
  }

  public HealthResponse health(String providerKey) {
    return HealthResponse.fromMsgPack(healthBytes(providerKey));
  }

  /**
   * Sends a shutdown request with {@code {"host_id": hostId}}; returns the reply text, or null when
   * nobody answered within {@code timeout}.
   */
  public @Nullable String shutdown(String providerKey, String requestHostId, Duration timeout) {
    byte[] body = ("{\"host_id\":\"" + requestHostId + "\"}").getBytes(StandardCharsets.UTF_8);
    try {
      Message m =
          connection.request(
              Subjects.shutdown(prefix, providerKey, LinkDefinition.DEFAULT_LINK_NAME),
              body,
              timeout);
      return m == null ? null : new String(m.getData(), StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** A fake actor answering on this lattice. */
  public FakeActor actor(String actorId, FakeActor.Behaviour behaviour) {
    return new FakeActor(this, actorId, behaviour);
  }

  Message request(String subject, byte[] body, Duration timeout) {
    try {
      Message m = connection.request(subject, body, timeout);
      if (m == null) {
        throw new AssertionError(
            "no reply on " + subject + " within " + timeout.toMillis() + " ms");
      }
      if (m.isStatusMessage()) {
        throw new AssertionError(
            "status " + m.getStatus() + " on " + subject + " (no responders?)");
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  void flush() {
    try {
      connection.flush(Duration.ofSeconds(5));
    } catch (Exception e) {
      throw new AssertionError("flush failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsServer) {
      server.close();
    }
  }
}
