package io.trellis.provider.sdk;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.interfaces.Health.HealthResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.Ed25519Engine;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.provider.HostData;
import io.trellis.wasmbus.rpc.InvocationClient;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.subjects.Subjects;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider side of the lattice protocol for one provider instance: the connection, the five
 * subscriptions of PROTOCOL.md §4.1/§7.3, and the lifecycle. Not API: use {@code ProviderRunner}.
 */
final class ProviderHost implements RunningProvider {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderHost.class);
  static final byte[] SHUTTING_DOWN = "shutting down".getBytes(StandardCharsets.US_ASCII);

  /** Bound on concurrently handled invocations; beyond it the dispatcher waits (backpressure). */
  static final int MAX_IN_FLIGHT = 1024;

  private final CapabilityProvider provider;
  private final HostData hostData;
  private final KeyPair clusterKey;
  private final InvocationValidator validator;
  private final Context context = new Context();
  private final LinkRegistry links;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rpc-", 1).factory());
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  // set by start()
  private volatile @Nullable Connection connection;
  private volatile @Nullable OutboundCalls outbound;
  private volatile boolean running;
  private final Tracing tracing;
  private volatile @Nullable InboundRpc inbound;
  private volatile @Nullable Dispatcher rpcDispatcher;
  private volatile @Nullable Dispatcher linkDispatcher;

  public ProviderHost(CapabilityProvider provider, HostData hostData) {
    this(provider, hostData, Tracing.off());
  }

  /**
   * @param tracing this process's tracing; stopping the provider closes it (flushing its spans)
   */
  public ProviderHost(CapabilityProvider provider, HostData hostData, Tracing tracing) {
    if (!KeyPair.isValidPublicKey(hostData.providerKey(), KeyType.SERVICE)) {
      throw new LatticeException(
          "HostData provider_key '"
              + hostData.providerKey()
              + "' is not a service public key (V...)");
    }
    this.provider = provider;
    this.hostData = hostData;
    this.clusterKey = clusterKey(hostData.invocationSeed());
    this.validator = validator(hostData.clusterIssuers());
    this.links = new LinkRegistry(provider, hostData.providerKey(), hostData.linkName());
    this.tracing = tracing;
  }

  /**
   * Checked here, so a bad seed fails naming the HostData field rather than as a bare nkey error.
   */
  private static KeyPair clusterKey(String invocationSeed) {
    try {
      return KeyPair.fromSeed(invocationSeed, KeyType.CLUSTER);
    } catch (InvalidKeyException e) {
      // the nkey message already redacts the seed; never add the seed itself
      throw new LatticeException(
          "HostData invocation_seed is not a cluster seed (SC...): " + e.getMessage(), e);
    }
  }

  private static InvocationValidator validator(List<String> clusterIssuers) {
    for (String issuer : clusterIssuers) {
      if (!KeyPair.isValidPublicKey(issuer, KeyType.CLUSTER)) {
        throw new LatticeException(
            "HostData cluster_issuers entry '" + issuer + "' is not a cluster public key (C...)");
      }
    }
    return new InvocationValidator(clusterIssuers);
  }

  public ProviderContext context() {
    return context;
  }

  public void start() {
    connection = NatsConnector.connect(hostData);
    try {
      // The host may configure a JetStream domain for chunking; wasmbus-rpc ignores it, but a
      // Trellis host puts large payloads there, so the provider must look in the same place.
      ChunkStore chunks =
          new ChunkStore(connection, hostData.latticeRpcPrefix(), hostData.jsDomain());
      outbound =
          new OutboundCalls(
              new InvocationClient(
                  connection, new InvocationSigner(clusterKey, hostData.hostId()), chunks),
              hostData.latticeRpcPrefix(),
              hostData.providerKey(),
              tracing);
      inbound = new InboundRpc(provider, validator, links, chunks, hostData.providerKey(), tracing);
      provider.start();
      for (LinkDefinition l : hostData.linkDefinitions()) {
        links.put(l);
      }
      subscribe();
      running = true;
      LOG.info(
          "provider {} ({}) serving link name '{}' on lattice '{}' via {}; {}",
          hostData.providerKey(),
          provider.getClass().getSimpleName(),
          hostData.linkName(),
          hostData.latticeRpcPrefix(),
          connection.getConnectedUrl(),
          Ed25519Engine.defaultEngineNote());
    } catch (Exception e) {
      closeConnection();
      workers.shutdownNow();
      stopped.countDown();
      throw e instanceof LatticeException le
          ? le
          : new LatticeException("provider failed to start: " + e.getMessage(), e);
    }
  }

  private void subscribe() throws Exception {
    String lattice = hostData.latticeRpcPrefix();
    String pk = hostData.providerKey();
    String link = hostData.linkName();
    rpcDispatcher = connection.createDispatcher();
    rpcDispatcher.subscribe(Subjects.providerRpc(lattice, pk, link), "rpc", this::onInvocation);
    // link changes one at a time, in order, on their own thread
    linkDispatcher = connection.createDispatcher();
    linkDispatcher.subscribe(Subjects.linkdefsPut(lattice, pk, link), m -> onLink(m, true));
    linkDispatcher.subscribe(Subjects.linkdefsDel(lattice, pk, link), m -> onLink(m, false));
    // health and shutdown stay responsive whatever the others do; health last (PROTOCOL.md §7.3)
    Dispatcher control = connection.createDispatcher();
    control.subscribe(Subjects.shutdown(lattice, pk, link), this::onShutdown);
    control.subscribe(Subjects.health(lattice, pk, link), this::onHealth);
    connection.flush(Duration.ofSeconds(5));
  }

  private void onInvocation(Message m) throws InterruptedException {
    if (m.getReplyTo() == null) {
      LOG.warn("invocation without a reply subject on {}; ignored", m.getSubject());
      return;
    }
    inFlight.acquire();
    try {
      workers.execute(
          () -> {
            try {
              connection.publish(m.getReplyTo(), inbound.handle(m));
            } finally {
              inFlight.release();
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.release(); // shutting down
    }
  }

  private void onLink(Message m, boolean put) {
    LinkDefinition ld;
    try {
      ld = LinkDefinition.fromMsgPack(m.getData());
    } catch (LatticeException e) {
      LOG.warn("undecodable link definition on {}: {}", m.getSubject(), e.getMessage());
      return;
    }
    if (!put) {
      links.delete(ld);
      return;
    }
    Ack applied = links.put(ld);
    // A Trellis host asks for the outcome with a reply subject and turns a refusal into a
    // linkdef_set_failed event (PROTOCOL.md §6.3); other hosts send none and get no answer.
    if (m.getReplyTo() != null) {
      connection.publish(m.getReplyTo(), applied.toJson());
    }
  }

  private void onHealth(Message m) {
    HealthResponse h;
    try {
      h = provider.health();
    } catch (RuntimeException e) {
      h = new HealthResponse(false, "health check failed: " + e.getMessage());
    }
    if (m.getReplyTo() != null) {
      connection.publish(m.getReplyTo(), h.toMsgPack());
    }
  }

  private void onShutdown(Message m) {
    String requested = ShutdownRequest.hostId(m.getData());
    if (requested == null) {
      // wasmbus-rpc reads an unreadable body as "no host id" and shuts down; so do we.
      LOG.warn(
          "shutdown request with an unreadable body; treating it as addressed to this provider");
      requested = "";
    }
    if (!requested.isEmpty() && !requested.equals(hostData.hostId())) {
      LOG.debug(
          "ignoring shutdown for host {} (this provider belongs to {})",
          requested,
          hostData.hostId());
      return;
    }
    LOG.info("shutdown requested by host {}", requested.isEmpty() ? "(unnamed)" : requested);
    String replyTo = m.getReplyTo();
    // not on the dispatcher thread: stopping waits for in-flight work
    Thread.ofPlatform().name("provider-shutdown").start(() -> shutdown(replyTo));
  }

  /**
   * Stops in the order of wasmbus-rpc: no new work, in-flight calls finish, links are removed and
   * the provider stopped, and only then the "shutting down" reply goes out. An OTP host kills the
   * process as soon as it reads that reply, so cleanup must be done by then.
   */
  private void shutdown(@Nullable String replyTo) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    running = false;
    try {
      closeDispatcher(rpcDispatcher);
      closeDispatcher(linkDispatcher);
      workers.shutdown();
      try {
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
          LOG.warn("in-flight invocations did not finish within 5 s; stopping anyway");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      links.clear();
      try {
        provider.stop();
      } catch (Exception e) {
        LOG.warn("provider stop failed: {}", e.getMessage(), e);
      }
      if (replyTo != null && connection != null) {
        try {
          connection.publish(replyTo, SHUTTING_DOWN);
          connection.flush(Duration.ofSeconds(2));
        } catch (Exception e) {
          LOG.debug("could not acknowledge the shutdown: {}", e.toString());
        }
      }
      closeConnection();
      tracing.close();
      LOG.info("provider {} stopped", hostData.providerKey());
    } finally {
      stopped.countDown();
    }
  }

  private void closeDispatcher(@Nullable Dispatcher d) {
    if (d != null && connection != null) {
      try {
        connection.closeDispatcher(d);
      } catch (RuntimeException e) {
        // already closed with the connection
      }
    }
  }

  private void closeConnection() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public void awaitShutdown() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean awaitShutdown(Duration timeout) {
    try {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    shutdown(null);
    awaitShutdown(Duration.ofSeconds(10));
  }

  private final class Context implements ProviderContext {
    @Override
    public HostData hostData() {
      return hostData;
    }

    @Override
    public Connection connection() {
      return connection;
    }

    @Override
    public Tracing tracing() {
      return tracing;
    }

    @Override
    public Optional<LinkDefinition> link(String actorId) {
      return links.get(actorId);
    }

    @Override
    public Collection<LinkDefinition> links() {
      return links.all();
    }

    @Override
    public byte[] callActor(String actorId, String operation, byte[] payload, Duration timeout) {
      LinkDefinition l =
          links
              .get(actorId)
              .orElseThrow(
                  () ->
                      new ActorCallException.NotLinked(
                          "actor "
                              + actorId
                              + " is not linked to provider "
                              + hostData.providerKey()
                              + " (link name '"
                              + hostData.linkName()
                              + "')"));
      return outbound.call(l, operation, payload, timeout);
    }
  }
}
