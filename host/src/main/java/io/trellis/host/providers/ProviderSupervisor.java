package io.trellis.host.providers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.trellis.host.config.HostConfig;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.events.Heartbeat;
import io.trellis.host.policy.PolicyAction;
import io.trellis.host.policy.PolicyDecision;
import io.trellis.host.policy.PolicyService;
import io.trellis.host.policy.PolicyTarget;
import io.trellis.lattice.LatticeCache;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ProviderMetadata;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.par.ProviderArchive;
import io.trellis.wasmbus.provider.HostData;
import io.trellis.wasmbus.settings.TrustedCa;
import io.trellis.wasmbus.subjects.Subjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capability providers as supervised OS processes (PROTOCOL.md §7): start from a verified PAR,
 * forward link changes, health-check, restart with bounded exponential backoff, stop with shutdown
 * then kill. After a provider's first healthy answer every link that applies to it is sent again,
 * which closes the window in which wasmCloud lost links put while a provider was starting.
 */
public final class ProviderSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderSupervisor.class);

  private final HostConfig config;
  private final Connection rpc;
  private final LatticeCache cache;
  private final ProviderEvents events;
  private final ProviderOptions options;
  private final Clock clock;
  private final MeterRegistry registry;
  private final PolicyService policy;
  private final Map<String, SupervisedProvider> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "trellis-provider-supervisor");
            t.setDaemon(true);
            return t;
          });
  private final ProviderHealth health;
  private final AutoCloseable cacheListener;
  private volatile boolean closed;

  public ProviderSupervisor(
      HostConfig config,
      Connection rpc,
      LatticeCache cache,
      EventPublisher events,
      ProviderOptions options,
      Clock clock,
      MeterRegistry registry,
      PolicyService policy) {
    this.config = config;
    this.policy = policy;
    this.rpc = rpc;
    this.cache = cache;
    this.events = new ProviderEvents(events);
    this.options = options;
    this.clock = clock;
    this.registry = registry;
    LinkForwarder links =
        new LinkForwarder(
            rpc,
            cache,
            config.lattice().prefix(),
            (pk, link) -> running.containsKey(key(pk, link)),
            this.events);
    this.health =
        new ProviderHealth(
            rpc,
            config.lattice().prefix(),
            config.timings().rpcTimeout(),
            options,
            clock,
            this.events,
            scheduler,
            this::supervised,
            links::resend,
            () -> rpc.getStatus() == Connection.Status.CONNECTED);
    this.cacheListener = cache.addListener(links::onLatticeEvent);
  }

  /** Still ours to watch and restart: not stopping, not replaced, the supervisor open. */
  private boolean supervised(SupervisedProvider p) {
    return !closed && !p.stopping && running.get(key(p.publicKey(), p.linkName())) == p;
  }

  static String key(String publicKey, String linkName) {
    return publicKey + "/" + linkName;
  }

  /**
   * Verifies a PAR, asks the policy service (PROTOCOL.md §10.4), writes this platform's binary to
   * the cache path and launches it.
   *
   * @throws LatticeException when the archive is bad, the policy denies the start or the process
   *     cannot start (a provider_start_failed event is published too)
   */
  public void start(
      byte[] par,
      @Nullable String imageRef,
      @Nullable String linkName,
      String configJson,
      Map<String, String> annotations) {
    String link =
        linkName == null || linkName.isBlank() ? LinkDefinition.DEFAULT_LINK_NAME : linkName;
    try {
      ProviderArchive archive = ProviderArchive.read(par, clock.instant());
      String pk = archive.publicKey();
      PolicyDecision verdict =
          policy.evaluateStart(
              PolicyAction.START_PROVIDER,
              PolicyTarget.provider(
                  pk, archive.claims().issuer(), contractOf(archive.claims()), link));
      if (!verdict.permitted()) {
        // OTP's wording, with the request id so the policy server's log can be matched
        throw new LatticeException(
            "Starting provider "
                + pk
                + " denied: "
                + verdict.message()
                + " (policy request "
                + verdict.requestId()
                + ")");
      }
      SupervisedProvider p;
      synchronized (this) {
        if (running.containsKey(key(pk, link))) {
          throw new LatticeException(
              "Provider with that link name is already running on this host ("
                  + pk
                  + ", link '"
                  + link
                  + "')");
        }
        Path binary = BinaryCache.write(options.cacheDir(), archive, link);
        p =
            new SupervisedProvider(
                archive.claims(), imageRef, link, configJson, annotations, binary);
        running.put(key(pk, link), p);
      }
      try {
        launch(p);
      } catch (IOException e) {
        running.remove(key(pk, link));
        throw new LatticeException(
            "cannot launch provider " + pk + " (" + p.name() + "): " + e.getMessage(), e);
      }
      publishClaims(archive, imageRef);
      LOG.info(
          "started provider {} ({}, {}) link '{}'{}",
          p.name(),
          pk,
          p.contractId(),
          link,
          imageRef == null || imageRef.isEmpty() ? "" : " from " + imageRef);
      events.started(p);
    } catch (LatticeException e) {
      events.startFailed(imageRef == null ? "" : imageRef, link, e.getMessage());
      throw e;
    }
  }

  private void publishClaims(ProviderArchive archive, @Nullable String imageRef) {
    try {
      cache.putClaims(ClaimsRecord.ofProvider(archive.claims()));
      if (imageRef != null && !imageRef.isEmpty()) {
        cache.putRefMap(new RefMap(imageRef, archive.publicKey()));
        events.refMapSet(imageRef, archive.publicKey());
      }
    } catch (LatticeException e) {
      LOG.warn(
          "could not write claims of provider {} to the lattice: {}",
          archive.publicKey(),
          e.getMessage());
    }
  }

  private void launch(SupervisedProvider p) throws IOException {
    Process proc = p.launch(() -> hostData(p), childEnvironment());
    if (p.stopping || closed) {
      // stop() ran while we were spawning: it may have looked before the process existed.
      p.kill();
      return;
    }
    proc.onExit().thenAccept(done -> onExit(p, done));
    health.watch(p);
  }

  /**
   * The host's tracing settings and its TLS CA (which HostData has no key for, PROTOCOL.md §7.2): a
   * provider connecting with TLS must trust the same CA as its host.
   */
  private Map<String, String> childEnvironment() {
    String ca = config.nats().tlsCaPath();
    if (ca.isEmpty()) {
      return config.observability().otel();
    }
    Map<String, String> env = new HashMap<>(config.observability().otel());
    env.put(TrustedCa.ENV, Path.of(ca).toAbsolutePath().toString());
    return env;
  }

  HostData hostData(SupervisedProvider p) {
    var prov = config.nats().providerRpc();
    return new HostData(
        config.hostId(),
        config.lattice().prefix(),
        p.linkName(),
        prov.jwt(),
        prov.seed(),
        prov.hostPort(),
        prov.tls(),
        Map.of(),
        p.instanceId(),
        p.publicKey(),
        cache.linksForProvider(p.publicKey(), p.linkName()),
        p.configJson(),
        config.timings().rpcTimeout().toMillis(),
        config.cluster().issuers(),
        config.cluster().key().seed(),
        config.lattice().jsDomainOrNull(),
        config.observability().structuredLogging(),
        config.observability().logLevel());
  }

  private static String contractOf(Claims<ProviderMetadata> c) {
    String contract = c.metadata().capabilityContractId();
    return contract == null ? "" : contract;
  }

  /** The claims of a provider running here under any link name, for policy requests. */
  public Optional<Claims<ProviderMetadata>> claims(String publicKey) {
    for (SupervisedProvider p : running.values()) {
      if (p.publicKey().equals(publicKey)) {
        return Optional.of(p.claims());
      }
    }
    return Optional.empty();
  }

  public void startFailed(String ref, String linkName, String error) {
    events.startFailed(ref, linkName, error);
  }

  private void onExit(SupervisedProvider p, @Nullable Process done) {
    if (!supervised(p) || done != p.process()) {
      return;
    }
    int code = done.exitValue();
    String killedFor = p.killedFor;
    String reason = killedFor != null ? killedFor : "exit status " + code;
    p.killedFor = null;
    p.healthy = false;
    // Back off 1 s, 2 s, 4 s... up to the cap; a provider that stayed healthy a minute starts over.
    if (p.healthySince != 0 && clock.millis() - p.healthySince > 60_000) {
      p.restarts = 0;
    }
    long delay =
        Math.min(options.restartBackoffMax().toMillis(), 1000L << Math.min(p.restarts, 16));
    p.restarts++;
    p.healthySince = 0;
    LOG.warn(
        "provider {} ({}) link '{}' stopped: {}; restart {} in {} ms",
        p.name(),
        p.publicKey(),
        p.linkName(),
        reason,
        p.restarts,
        delay);
    events.crashed(p, reason, p.restarts, delay);
    Counter.builder("trellis.provider.restarts")
        .tag("provider", p.publicKey())
        .tag("link_name", p.linkName())
        .register(registry)
        .increment();
    scheduler.schedule(() -> restart(p), delay, TimeUnit.MILLISECONDS);
  }

  private void restart(SupervisedProvider p) {
    if (!supervised(p)) {
      return;
    }
    try {
      launch(p);
      events.started(p);
    } catch (IOException e) {
      LOG.error("restarting provider {} failed: {}", p.publicKey(), e.getMessage());
      onExit(p, p.process());
    }
  }

  /**
   * Sends shutdown (PROTOCOL.md §7.5), waits the grace period, then kills. Publishes
   * provider_stopped.
   */
  public void stop(String publicKey, String linkName) {
    SupervisedProvider p = running.remove(key(publicKey, linkName));
    if (p == null) {
      return;
    }
    p.stopping = true;
    // a process that already exited (e.g. it got the same SIGTERM as the host) cannot answer
    if (p.isAlive()) {
      requestShutdown(publicKey, linkName);
    }
    Process proc = p.process();
    if (proc != null) {
      try {
        if (!proc.waitFor(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
          proc.descendants().forEach(ProcessHandle::destroyForcibly);
          proc.destroyForcibly();
          proc.waitFor(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        proc.destroyForcibly();
      }
    }
    LOG.info("stopped provider {} ({}) link '{}'", p.name(), publicKey, linkName);
    events.stopped(p, "normal");
  }

  private void requestShutdown(String publicKey, String linkName) {
    try {
      rpc.request(
              Subjects.shutdown(config.lattice().prefix(), publicKey, linkName),
              ("{\"host_id\":\"" + config.hostId() + "\"}").getBytes(StandardCharsets.UTF_8))
          .get(2000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("provider {} did not acknowledge shutdown: {}", publicKey, e.toString());
    }
  }

  /**
   * True when the provider (public key or the reference it was started from) runs with that link
   * name.
   */
  public boolean isRunning(String keyOrRef, String linkName) {
    return runningKey(keyOrRef, linkName).isPresent();
  }

  /** The public key of the provider running with that link name, given its key or reference. */
  public Optional<String> runningKey(String keyOrRef, String linkName) {
    if (running.containsKey(key(keyOrRef, linkName))) {
      return Optional.of(keyOrRef);
    }
    Optional<String> pk = cache.resolveRef(keyOrRef);
    return running.values().stream()
        .filter(
            p ->
                p.linkName().equals(linkName)
                    && (p.imageRef().equals(keyOrRef)
                        || pk.map(p.publicKey()::equals).orElse(false)))
        .map(SupervisedProvider::publicKey)
        .findFirst();
  }

  public List<HostInventory.Provider> inventory() {
    List<HostInventory.Provider> out = new ArrayList<>();
    for (SupervisedProvider p : running.values()) {
      out.add(
          new HostInventory.Provider(
              p.publicKey(),
              p.imageRef().isEmpty() ? null : p.imageRef(),
              p.contractId(),
              p.linkName(),
              p.name(),
              p.instanceId(),
              p.annotations(),
              p.revision()));
    }
    return out;
  }

  public List<Heartbeat.ProviderRef> refs() {
    return running.values().stream()
        .map(p -> new Heartbeat.ProviderRef(p.publicKey(), p.linkName(), p.contractId()))
        .toList();
  }

  /** Test and diagnostics hook: the OS process of a running provider. */
  public Optional<Process> process(String publicKey, String linkName) {
    return Optional.ofNullable(running.get(key(publicKey, linkName)))
        .map(SupervisedProvider::process);
  }

  public boolean isHealthy(String publicKey, String linkName) {
    SupervisedProvider p = running.get(key(publicKey, linkName));
    return p != null && p.healthy;
  }

  public void stopAll() {
    for (SupervisedProvider p : new ArrayList<>(running.values())) {
      stop(p.publicKey(), p.linkName());
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      cacheListener.close();
    } catch (Exception e) {
      // cache already closed
    }
    scheduler.shutdownNow();
    for (SupervisedProvider p : running.values()) {
      Process proc = p.process();
      if (proc != null && proc.isAlive()) {
        proc.descendants().forEach(ProcessHandle::destroyForcibly);
        proc.destroyForcibly();
      }
    }
  }
}
