package io.trellis.host;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trellis.host.actors.ActorSupervisor;
import io.trellis.host.config.HostConfig;
import io.trellis.host.config.HostConfigWriter;
import io.trellis.host.ctl.ArtifactFetcher;
import io.trellis.host.ctl.ConfigService;
import io.trellis.host.ctl.ControlledHost;
import io.trellis.host.ctl.CtlServer;
import io.trellis.host.ctl.HostFacts;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.metrics.MetricsEndpoint;
import io.trellis.host.metrics.RuntimeMetrics;
import io.trellis.host.nats.HostConnections;
import io.trellis.host.policy.PolicyHost;
import io.trellis.host.policy.PolicyService;
import io.trellis.host.providers.ProviderOptions;
import io.trellis.host.providers.ProviderSupervisor;
import io.trellis.host.rpc.ActorRpcServer;
import io.trellis.host.rpc.InvocationTap;
import io.trellis.host.rpc.LatticeRouter;
import io.trellis.host.rpc.RpcMetrics;
import io.trellis.host.runtime.ActorRuntime;
import io.trellis.host.runtime.RuntimeOptions;
import io.trellis.lattice.LatticeCache;
import io.trellis.lattice.LatticeCacheOptions;
import io.trellis.lattice.LatticeEvent;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.nkeys.Ed25519Engine;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.subjects.Subjects;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lattice host: NATS connections, the lattice cache, the actor runtime behind the RPC server and
 * the lattice router, events and heartbeats, metrics. {@link #start} brings it all up (or nothing);
 * {@link #stop} takes it down gracefully.
 */
public final class Host implements ControlledHost, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Host.class);

  private final HostConfig config;
  private final HostFacts facts;
  private final Clock clock;
  private final Instant startedAt;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final HostLabels labels;
  // Set one by one while the host boots; a boot that fails part-way stops what exists so far.
  private @Nullable HostConnections connections;
  private @Nullable LatticeCache cache;
  private @Nullable PrometheusMeterRegistry registry;
  private @Nullable ActorRuntime runtime;
  private @Nullable ActorRpcServer rpcServer;
  private @Nullable EventPublisher events;
  private @Nullable ActorSupervisor actors;
  private @Nullable ProviderSupervisor providers;
  private @Nullable CtlServer ctlServer;
  private @Nullable ArtifactFetcher artifacts;
  private @Nullable MetricsEndpoint metricsEndpoint;
  private @Nullable HostAnnouncer announcer;
  private PolicyService policy = PolicyService.disabled();
  private volatile boolean stopping;

  private Host(HostConfig config, Clock clock) {
    this.config = config;
    this.facts = HostFacts.of(config, HostVersion.REPORTED);
    this.clock = clock;
    this.startedAt = clock.instant();
    this.labels = new HostLabels(config.identity().labels());
  }

  public static Host start(HostConfig config) {
    return start(config, runtimeOptions(config), Clock.systemUTC());
  }

  /** The actor runtime's options: defaults, with the limits the host configuration sets. */
  public static RuntimeOptions runtimeOptions(HostConfig config) {
    RuntimeOptions d = RuntimeOptions.defaults();
    HostConfig.Limits limits = config.limits();
    return d.withCallTimeout(limits.callTimeout())
        .withInstanceIdle(limits.instanceIdle())
        .withMemory(
            limits.maxMemoryPages(), Math.min(d.recycleMemoryPages(), limits.maxMemoryPages()));
  }

  /**
   * Starts a host; on failure everything already started is closed again and the cause is thrown.
   */
  public static Host start(HostConfig config, RuntimeOptions runtimeOptions, Clock clock) {
    Host h = new Host(config, clock);
    try {
      h.boot(runtimeOptions);
      return h;
    } catch (RuntimeException | Error e) {
      h.closeAll();
      throw e;
    }
  }

  private void boot(RuntimeOptions runtimeOptions) {
    String latticePrefix = config.lattice().prefix();
    String jsDomain = config.lattice().jsDomainOrNull();
    Duration rpcTimeout = config.timings().rpcTimeout();
    LOG.info(
        "starting host {} ({}) on lattice '{}', cluster key {}{}; {}",
        config.hostId(),
        facts.friendlyName(),
        latticePrefix,
        config.cluster().publicKey(),
        config.cluster().seedGenerated()
            ? " (generated: set WASMCLOUD_CLUSTER_SEED to share it)"
            : "",
        Ed25519Engine.defaultEngineNote());
    connections = HostConnections.connect(config);
    closeables.add(connections);
    cache =
        LatticeCache.connect(
            connections.ctl(),
            LatticeCacheOptions.builder(latticePrefix)
                .jsDomain(jsDomain)
                .replicas(config.lattice().replicas())
                .requestTimeout(rpcTimeout.multipliedBy(2).plusSeconds(3))
                .loadTimeout(Duration.ofSeconds(30))
                .build());
    closeables.add(0, cache);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    events =
        new EventPublisher(
            connections.ctl(),
            latticePrefix,
            config.hostId(),
            clock,
            config.observability().rpcEvents());
    announcer = new HostAnnouncer(events, this, config.timings().heartbeatInterval(), registry);
    closeables.add(0, announcer);
    ChunkStore chunks = new ChunkStore(connections.rpc(), latticePrefix, jsDomain);
    // host_id is this host's N key (PROTOCOL.md §13 item 4): OTP-era receivers accept N or C, later
    // wasmCloud SDKs accept only N.
    InvocationSigner signer = new InvocationSigner(config.cluster().key(), config.hostId(), clock);
    RuntimeMetrics runtimeMetrics = new RuntimeMetrics(registry);
    Tracing tracing = Tracing.fromEnvironment(config.observability().otel(), "trellis-host");
    closeables.add(tracing); // last: spans of the shutdown itself are still exported
    if (tracing.enabled()) {
      LOG.info("tracing: exporting spans over OTLP as the OTEL_* variables say");
    }
    InvocationTap tap =
        new InvocationTap(
            connections.ctl(),
            latticePrefix,
            config.hostId(),
            key -> actors == null ? null : actors.find(key),
            clock);
    closeables.add(0, tap);
    LatticeRouter router =
        new LatticeRouter(
            connections.rpc(),
            cache,
            latticePrefix,
            signer,
            chunks,
            rpcTimeout,
            runtimeMetrics,
            events,
            tracing,
            tap);
    runtime = new ActorRuntime(runtimeOptions, router, runtimeMetrics, clock);
    closeables.add(0, runtime);
    policy =
        PolicyService.of(
            connections.ctl(),
            config.services().policy(),
            new PolicyHost(
                config.hostId(),
                config.cluster().publicKey(),
                latticePrefix,
                labels::snapshot,
                config.cluster().issuers()),
            new PolicySources(this),
            clock,
            registry);
    closeables.add(0, policy);
    InvocationValidator validator = new InvocationValidator(config.cluster().issuers(), clock);
    rpcServer =
        new ActorRpcServer(
            connections.rpc(),
            latticePrefix,
            validator,
            chunks,
            key -> actors == null ? null : actors.find(key),
            new RpcMetrics(registry),
            events,
            tracing,
            tap);
    rpcServer.usePolicy(policy);
    closeables.add(0, rpcServer);
    actors =
        new ActorSupervisor(
            runtime, rpcServer, cache, events, config.hostId(), Duration.ofSeconds(10), policy);
    cache.addListener(this::onLatticeEvent);
    tap.start();
    providers =
        new ProviderSupervisor(
            config,
            connections.rpc(),
            cache,
            events,
            ProviderOptions.defaults()
                .withHealthInterval(config.timings().providerHealthInterval())
                .withRestartBackoffMax(config.timings().providerRestartBackoffMax()),
            clock,
            registry,
            policy);
    closeables.add(0, providers);
    ArtifactFetcher fetcher =
        new ArtifactFetcher(
            config.artifacts().startFromFs(),
            config.artifacts().maxBytes(),
            Duration.ofSeconds(30),
            config.artifacts().oci(),
            config.artifacts().ociEnvironmentCredentials());
    artifacts = fetcher;
    closeables.add(0, fetcher);
    ctlServer = new CtlServer(this, connections.ctl(), fetcher);
    closeables.add(0, ctlServer);
    HostConfig.Observability observability = config.observability();
    if (observability.metricsPort() > 0) {
      metricsEndpoint =
          HostGauges.serve(
              registry,
              actors(),
              providers(),
              Map.of("ctl", connections.ctl(), "rpc", connections.rpc()),
              observability);
      closeables.add(0, metricsEndpoint);
    }
    // PROTOCOL.md §8.6: asked before host_started; the auto-starts run after it, in the background
    Runnable autoStarts =
        config.services().configService()
            ? ConfigService.load(connections.ctl(), latticePrefix, labels.snapshot(), this, fetcher)
            : () -> {};
    writeHostConfig();
    announcer.started();
    announcer.sendLiveness(
        connections.ctl(),
        Subjects.alive(latticePrefix, config.hostId()),
        config.timings().livenessInterval());
    autoStarts.run();
    LOG.info("host {} ready: {}", config.hostId(), config);
  }

  private void writeHostConfig() {
    try {
      HostConfigWriter.write(config);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write {}: {}", config.hostConfigOut(), e.toString());
    }
  }

  private void onLatticeEvent(LatticeEvent e) {
    switch (e) {
      case LatticeEvent.LinkPut p -> events.publish("linkdef_set", p.link().toJsonNode(), "n/a");
      case LatticeEvent.LinkDeleted d ->
          events.publish("linkdef_deleted", d.link().toJsonNode(), "n/a");
      default -> {}
    }
  }

  @Override
  public void publishHeartbeat() {
    HostAnnouncer a = announcer;
    if (!stopping && a != null) {
      a.heartbeat();
    }
  }

  @Override
  public ProviderSupervisor providers() {
    return providers;
  }

  @Override
  public Map<String, String> labels() {
    return labels.snapshot();
  }

  @Override
  public boolean putLabel(String key, String value) {
    return labels.put(key, value);
  }

  @Override
  public boolean removeLabel(String key) {
    return labels.remove(key);
  }

  @Override
  public Duration uptime() {
    return Duration.between(startedAt, clock.instant());
  }

  public String id() {
    return config.hostId();
  }

  @Override
  public HostFacts facts() {
    return facts;
  }

  public HostConfig config() {
    return config;
  }

  @Override
  public ActorSupervisor actors() {
    return actors;
  }

  @Override
  public LatticeCache lattice() {
    return cache;
  }

  /**
   * The one resolver of actor and provider references (files, URLs, OCI, PROTOCOL.md §14): what the
   * control interface uses, for anything else that starts from a reference (the config service's
   * auto-start list, application manifests).
   */
  public ArtifactFetcher artifacts() {
    return artifacts;
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  public HostConnections connections() {
    return connections;
  }

  public ActorRpcServer rpcServer() {
    return rpcServer;
  }

  /** The metrics endpoint's port, or 0 when metrics are off. */
  public int metricsPort() {
    return metricsEndpoint == null ? 0 : metricsEndpoint.port();
  }

  /**
   * Graceful stop (also on SIGTERM): stop taking invocations, let in-flight calls finish within
   * {@code grace}, publish the stopped events, drain the NATS connections. Idempotent.
   */
  @Override
  public void stop(Duration grace) {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    LOG.info("stopping host {}", config.hostId());
    try {
      if (announcer != null) {
        announcer.close();
      }
      boolean drained = rpcServer == null || rpcServer.stopAccepting(grace);
      if (!drained) {
        LOG.warn(
            "{} invocation(s) still running after {} ms; stopping anyway",
            rpcServer.inFlight(),
            grace.toMillis());
      }
      if (ctlServer != null) {
        ctlServer.close();
      }
      if (actors != null) {
        actors.stopAll();
      }
      if (providers != null) {
        providers.stopAll();
      }
      if (announcer != null) {
        announcer.stopped();
      }
    } finally {
      closeAll();
      if (connections != null) {
        connections.drain(Duration.ofSeconds(2));
      }
      stopped.countDown();
      LOG.info("host {} stopped", config.hostId());
    }
  }

  private void closeAll() {
    for (AutoCloseable c : closeables) {
      if (c == connections) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing {} failed: {}", c, e.toString());
      }
    }
    if (connections != null && stopped.getCount() > 0 && !stopping) {
      connections.close();
    }
  }

  /** Blocks until the host has stopped. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
