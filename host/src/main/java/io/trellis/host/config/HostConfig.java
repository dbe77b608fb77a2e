package io.trellis.host.config;

import io.trellis.oci.CredentialSource;
import io.trellis.oci.OciOptions;
import io.trellis.oci.RegistryCredentials;
import io.trellis.wasmbus.nkeys.KeyPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a host needs to join a lattice (PROTOCOL.md §10.2, plus Trellis settings), grouped by
 * concern. Built by {@link HostConfigLoader}; immutable. docs/OPERATIONS.md lists every setting
 * with its environment variable and JSON key.
 *
 * @param identity who this host is: its key, name and labels
 * @param lattice which lattice it joins and where that lattice's subjects and data live
 * @param cluster the cluster key that signs invocations and the keys whose invocations are accepted
 * @param nats the NATS connections
 * @param timings intervals and timeouts
 * @param limits what one actor may use
 * @param artifacts where actor modules and provider archives may come from
 * @param observability metrics, invocation events and logging
 * @param services the policy service and the config service the host consults
 * @param compatibility wasmCloud settings that are accepted and recorded but not acted on
 * @param hostConfigOut where the effective config is written ($HOST_CONFIG or
 *     ~/.trellis/host_config.json)
 */
public record HostConfig(
    Identity identity,
    Lattice lattice,
    ClusterTrust cluster,
    NatsEndpoints nats,
    Timings timings,
    Limits limits,
    Artifacts artifacts,
    Observability observability,
    Services services,
    Compatibility compatibility,
    Path hostConfigOut) {

  /**
   * Who this host is.
   *
   * @param hostKey the server key (N...); its public key is the host id
   * @param friendlyName Trellis: a human name for the host (random when not configured)
   * @param labels the host's labels, built-in {@code hostcore.*} labels included
   */
  public record Identity(KeyPair hostKey, String friendlyName, Map<String, String> labels) {
    public Identity {
      labels = Map.copyOf(labels);
    }

    public String hostId() {
      return hostKey.publicKey();
    }

    @Override
    public String toString() {
      // Never print seeds: the default toString would include the key pair's state.
      return "Identity[host " + hostId() + " \"" + friendlyName + "\", labels " + labels + "]";
    }
  }

  /**
   * The lattice this host joins.
   *
   * @param prefix the lattice prefix (namespace of subjects and buckets)
   * @param ctlTopicPrefix the first two tokens of control-interface subjects
   * @param jsDomain the JetStream domain of the lattice data and chunk store; null or blank = none
   * @param replicas Trellis: replicas of the lattice bucket when this host creates it (PROTOCOL.md
   *     §9.1); 3 on a cluster of three or more JetStream servers, so one server's loss neither
   *     loses nor blocks lattice data
   */
  public record Lattice(
      String prefix, String ctlTopicPrefix, @Nullable String jsDomain, int replicas) {
    public Lattice(String prefix, String ctlTopicPrefix, @Nullable String jsDomain) {
      this(prefix, ctlTopicPrefix, jsDomain, 1);
    }

    /** The JetStream domain, or null when none is configured. */
    public @Nullable String jsDomainOrNull() {
      return jsDomain == null || jsDomain.isBlank() ? null : jsDomain;
    }
  }

  /**
   * The cluster's keys.
   *
   * @param key the cluster key (C...) that signs invocations
   * @param seedGenerated true when no cluster seed was configured ("ad hoc" cluster)
   * @param issuers keys whose invocations are accepted (always includes the cluster key)
   */
  public record ClusterTrust(KeyPair key, boolean seedGenerated, List<String> issuers) {
    public ClusterTrust {
      issuers = List.copyOf(issuers);
    }

    public String publicKey() {
      return key.publicKey();
    }

    @Override
    public String toString() {
      // Never print seeds: the default toString would include the key pair's state.
      return "ClusterTrust["
          + publicKey()
          + (seedGenerated ? " (generated)" : "")
          + ", issuers "
          + issuers
          + "]";
    }
  }

  /**
   * The host's NATS connections.
   *
   * @param rpc invocations and chunking
   * @param ctl the control interface, events and the lattice data
   * @param providerRpc what providers connect to (passed to them in HostData)
   */
  public record NatsEndpoints(
      NatsEndpoint rpc, NatsEndpoint ctl, NatsEndpoint providerRpc, String tlsCaPath) {
    /**
     * @param tlsCaPath Trellis: {@code tls_ca_path} ({@code WASMCLOUD_TLS_CA_PATH}), a PEM file
     *     with the CA that TLS connections trust instead of the JVM's default; "" for the default.
     *     Provider processes get it in their environment.
     */
    public NatsEndpoints {
      tlsCaPath = tlsCaPath == null ? "" : tlsCaPath.strip();
    }
  }

  /**
   * Intervals and timeouts.
   *
   * @param rpcTimeout timeout of host calls to providers and actors
   * @param heartbeatInterval Trellis: time between host_heartbeat events (spec default 30 s)
   * @param providerHealthInterval Trellis: time between provider health checks (PROTOCOL.md §7.4:
   *     30 s)
   * @param livenessInterval Trellis: time between liveness signals (PROTOCOL.md §15.6), by which a
   *     reconciler notices within seconds that a host died silently; zero turns them off
   * @param providerRestartBackoffMax Trellis: the cap of a crashing provider's restart delay
   *     (PROTOCOL.md §7.1: 30 s)
   */
  public record Timings(
      Duration rpcTimeout,
      Duration heartbeatInterval,
      Duration providerHealthInterval,
      Duration livenessInterval,
      Duration providerRestartBackoffMax) {
    /** The default liveness signal: every 2 s (PROTOCOL.md §15.6). */
    public static final Duration DEFAULT_LIVENESS = Duration.ofSeconds(2);

    /** The default cap of the restart backoff (PROTOCOL.md §7.1). */
    public static final Duration DEFAULT_RESTART_BACKOFF_MAX = Duration.ofSeconds(30);

    public Timings(
        Duration rpcTimeout,
        Duration heartbeatInterval,
        Duration providerHealthInterval,
        Duration livenessInterval) {
      this(
          rpcTimeout,
          heartbeatInterval,
          providerHealthInterval,
          livenessInterval,
          DEFAULT_RESTART_BACKOFF_MAX);
    }

    public Timings(
        Duration rpcTimeout, Duration heartbeatInterval, Duration providerHealthInterval) {
      this(rpcTimeout, heartbeatInterval, providerHealthInterval, DEFAULT_LIVENESS);
    }
  }

  /**
   * Trellis: what one actor may use.
   *
   * @param callTimeout a guest call running longer is stopped (default 10 s)
   * @param maxMemoryPages linear memory cap per actor instance, in 64 KiB pages (default 2048 = 128
   *     MiB)
   * @param instanceIdle an actor instance unused this long is released (default 60 s); the actor's
   *     count is the most instances that run at once
   */
  public record Limits(Duration callTimeout, int maxMemoryPages, Duration instanceIdle) {}

  /**
   * Where actor modules and provider archives may come from (PROTOCOL.md §14 for registries).
   *
   * @param startFromFs allow {@code file://} and plain-path references in start commands
   * @param maxBytes Trellis: size limit of an actor module or provider archive fetched by reference
   * @param allowLatest allow OCI {@code :latest} and untagged references
   * @param allowedInsecure OCI registries spoken to over plain HTTP ({@code host:port} or host)
   * @param ociCacheDir Trellis: the OCI cache ({@code cache/oci} in the Trellis directory)
   * @param ociCacheMaxBytes Trellis: the OCI cache is trimmed to this (default 2 GiB)
   * @param ociTimeout Trellis: a whole pull must finish within this (default 120 s)
   * @param ociLogin {@code OCI_REGISTRY} with {@code OCI_REGISTRY_USER} and {@code
   *     OCI_REGISTRY_PASSWORD}, or null; never written to host_config.json
   */
  public record Artifacts(
      boolean startFromFs,
      long maxBytes,
      boolean allowLatest,
      List<String> allowedInsecure,
      Path ociCacheDir,
      long ociCacheMaxBytes,
      Duration ociTimeout,
      @Nullable RegistryLogin ociLogin) {
    public Artifacts {
      allowedInsecure = List.copyOf(allowedInsecure);
    }

    /** The OCI client's settings. */
    public OciOptions oci() {
      return OciOptions.defaults(ociCacheDir)
          .withAllowLatest(allowLatest)
          .withAllowedInsecure(allowedInsecure)
          .withMaxBlobBytes(maxBytes)
          .withDeadline(ociTimeout)
          .withCache(ociCacheDir, ociCacheMaxBytes);
    }

    /** The environment's registry credentials, asked after ctl's and the config service's. */
    public CredentialSource ociEnvironmentCredentials() {
      RegistryLogin l = ociLogin;
      return l == null
          ? CredentialSource.none()
          : CredentialSource.environment(
              Map.of(
                  "OCI_REGISTRY",
                  l.registry(),
                  "OCI_REGISTRY_USER",
                  String.valueOf(l.credentials().username()),
                  "OCI_REGISTRY_PASSWORD",
                  String.valueOf(l.credentials().password())));
    }
  }

  /**
   * Credentials for one registry from the environment; {@link RegistryCredentials#toString} hides
   * the password.
   */
  public record RegistryLogin(String registry, RegistryCredentials credentials) {}

  /**
   * Metrics, invocation events and logging.
   *
   * @param metricsPort Trellis: Prometheus endpoint port, 0 = off
   * @param metricsBind Trellis: address of the Prometheus endpoint
   * @param rpcEvents Trellis: publish invocation results on wasmbus.rpcevt.{prefix}
   * @param structuredLogging JSON logs; passed to providers
   * @param logLevel the log level; passed to providers
   * @param otel the {@code OTEL_*} environment variables (tracing, PROTOCOL.md §16); passed to
   *     providers. Never written to host_config.json: OTLP headers can hold credentials
   */
  public record Observability(
      int metricsPort,
      String metricsBind,
      boolean rpcEvents,
      boolean structuredLogging,
      String logLevel,
      Map<String, String> otel) {
    public Observability {
      otel = Map.copyOf(otel);
    }

    public Observability(
        int metricsPort,
        String metricsBind,
        boolean rpcEvents,
        boolean structuredLogging,
        String logLevel) {
      this(metricsPort, metricsBind, rpcEvents, structuredLogging, logLevel, Map.of());
    }
  }

  /**
   * The services a host consults (PROTOCOL.md §10.4, §8.6).
   *
   * @param configService WASMCLOUD_CONFIG_SERVICE: ask {@code wasmbus.cfg.{prefix}.req} for
   *     auto-starts and registry credentials before host_started
   * @param policy the policy service
   */
  public record Services(boolean configService, Policy policy) {}

  /**
   * The policy service (PROTOCOL.md §10.4).
   *
   * @param topic WASMCLOUD_POLICY_TOPIC; null = no policy, everything is permitted
   * @param changesTopic WASMCLOUD_POLICY_CHANGES_TOPIC (or its per-lattice override
   *     WASMCLOUD_POLICY_CHANGES_TOPIC_{prefix}), or null
   * @param timeout WASMCLOUD_POLICY_TIMEOUT: no reply within this is a denial
   * @param cacheMaxEntries Trellis: at most this many decisions are cached (0 = none)
   * @param cacheTtl Trellis: a cached decision is asked again after this
   */
  public record Policy(
      @Nullable String topic,
      @Nullable String changesTopic,
      Duration timeout,
      long cacheMaxEntries,
      Duration cacheTtl) {
    public boolean enabled() {
      return topic != null && !topic.isBlank();
    }
  }

  /**
   * wasmCloud settings Trellis accepts and writes back to host_config.json (so the file stays a
   * complete wasmCloud host config) but does not act on.
   *
   * @param providerShutdownDelayMs WASMCLOUD_PROV_SHUTDOWN_DELAY_MS
   * @param enableIpv6 WASMCLOUD_ENABLE_IPV6
   */
  public record Compatibility(int providerShutdownDelayMs, boolean enableIpv6) {}

  public String hostId() {
    return identity.hostId();
  }

  @Override
  public String toString() {
    // Never print seeds: the record's default toString would include the key pairs' state.
    return "HostConfig[host "
        + hostId()
        + " \""
        + identity.friendlyName()
        + "\", lattice "
        + lattice.prefix()
        + ", cluster "
        + cluster.publicKey()
        + (cluster.seedGenerated() ? " (generated)" : "")
        + ", issuers "
        + cluster.issuers()
        + ", rpc "
        + nats.rpc().url()
        + " ("
        + nats.rpc().authDescription()
        + "), ctl "
        + nats.ctl().url()
        + " ("
        + nats.ctl().authDescription()
        + "), js domain "
        + (lattice.jsDomainOrNull() == null ? "none" : lattice.jsDomain())
        + ", labels "
        + identity.labels()
        + "]";
  }
}
