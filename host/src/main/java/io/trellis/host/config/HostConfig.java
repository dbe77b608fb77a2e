package io.trellis.host.config;

import io.trellis.wasmbus.nkeys.KeyPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a host needs to join a lattice (spec 10.2, plus Trellis settings marked below). Built
 * by {@link HostConfigLoader}; immutable.
 *
 * @param hostKey the server key (N...); its public key is the host id
 * @param clusterKey the cluster key (C...) that signs invocations
 * @param clusterSeedGenerated true when no cluster seed was configured ("ad hoc" cluster)
 * @param clusterIssuers keys whose invocations are accepted (always includes the cluster key)
 * @param heartbeatInterval Trellis: time between host_heartbeat events (spec default 30 s)
 * @param metricsPort Trellis: Prometheus endpoint port, 0 = off
 * @param rpcEvents Trellis: publish invocation results on wasmbus.rpcevt.{prefix}
 * @param hostConfigOut where the effective config is written ($HOST_CONFIG or
 *     ~/.trellis/host_config.json)
 * @param providerHealthInterval Trellis: time between provider health checks (spec 7.4: 30 s)
 * @param maxArtifactBytes Trellis: size limit of an actor module or provider archive fetched by
 *     reference
 * @param callTimeout Trellis: a guest call running longer is stopped (default 10 s)
 * @param maxMemoryPages Trellis: linear memory cap per actor instance, in 64 KiB pages (default
 *     2048 = 128 MiB)
 */
public record HostConfig(
    String latticePrefix,
    KeyPair hostKey,
    KeyPair clusterKey,
    boolean clusterSeedGenerated,
    List<String> clusterIssuers,
    NatsEndpoint rpc,
    NatsEndpoint ctl,
    NatsEndpoint providerRpc,
    Duration rpcTimeout,
    String ctlTopicPrefix,
    @Nullable String jsDomain,
    int providerDelayMs,
    boolean allowLatest,
    List<String> allowedInsecure,
    boolean enableStartFromFs,
    boolean configServiceEnabled,
    boolean structuredLogging,
    String logLevel,
    boolean enableIpv6,
    @Nullable String policyTopic,
    @Nullable String policyChangesTopic,
    Duration policyTimeout,
    Map<String, String> labels,
    String friendlyName,
    Duration heartbeatInterval,
    int metricsPort,
    String metricsBind,
    boolean rpcEvents,
    Path hostConfigOut,
    Duration providerHealthInterval,
    long maxArtifactBytes,
    Duration callTimeout,
    int maxMemoryPages) {

  public HostConfig {
    clusterIssuers = List.copyOf(clusterIssuers);
    allowedInsecure = List.copyOf(allowedInsecure);
    labels = Map.copyOf(labels);
  }

  public String hostId() {
    return hostKey.publicKey();
  }

  public String clusterPublicKey() {
    return clusterKey.publicKey();
  }

  /** The JetStream domain, or null when none is configured. */
  public @Nullable String jsDomainOrNull() {
    return jsDomain == null || jsDomain.isBlank() ? null : jsDomain;
  }

  @Override
  public String toString() {
    // Never print seeds: the record's default toString would include the key pairs' state.
    return "HostConfig[host "
        + hostId()
        + " \""
        + friendlyName
        + "\", lattice "
        + latticePrefix
        + ", cluster "
        + clusterPublicKey()
        + (clusterSeedGenerated ? " (generated)" : "")
        + ", issuers "
        + clusterIssuers
        + ", rpc "
        + rpc.url()
        + " ("
        + rpc.authDescription()
        + "), ctl "
        + ctl.url()
        + " ("
        + ctl.authDescription()
        + "), js domain "
        + (jsDomainOrNull() == null ? "none" : jsDomain)
        + ", labels "
        + labels
        + "]";
  }
}
