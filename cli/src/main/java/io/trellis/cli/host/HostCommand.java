package io.trellis.cli.host;

import io.trellis.apps.service.AppsService;
import io.trellis.cli.apps.AppsMetrics;
import io.trellis.cli.apps.ReconcilerOptions;
import io.trellis.host.Host;
import io.trellis.host.config.HostConfig;
import io.trellis.host.config.HostConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trellis host}: runs a lattice host in the foreground against an existing NATS (no
 * nats-server is started), for VMs and servers. Settings come from flags, the environment of
 * PROTOCOL.md §10.2 and a config file (docs/OPERATIONS.md); flags win.
 */
@Command(
    name = "host",
    mixinStandardHelpOptions = true,
    description = "Run a host against an existing NATS; stops gracefully on SIGTERM or Ctrl-C.")
public final class HostCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ReconcilerOptions reconciler;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "JSON config file (host_config.json format)")
  @Nullable Path config;

  @Option(
      names = {"-x", "--lattice-prefix"},
      description = "lattice prefix (WASMCLOUD_LATTICE_PREFIX)")
  @Nullable String latticePrefix;

  @Option(names = "--host-seed", description = "server seed SN... (WASMCLOUD_HOST_SEED)")
  @Nullable String hostSeed;

  @Option(names = "--cluster-seed", description = "cluster seed SC... (WASMCLOUD_CLUSTER_SEED)")
  @Nullable String clusterSeed;

  @Option(
      names = "--cluster-issuers",
      split = ",",
      description = "accepted cluster keys C... (WASMCLOUD_CLUSTER_ISSUERS)")
  @Nullable List<String> clusterIssuers;

  @Option(names = "--nats-host", description = "sets both --rpc-host and --ctl-host")
  @Nullable String natsHost;

  @Option(names = "--nats-port", description = "sets both --rpc-port and --ctl-port")
  @Nullable Integer natsPort;

  @Option(names = "--rpc-host")
  @Nullable String rpcHost;

  @Option(names = "--rpc-port")
  @Nullable Integer rpcPort;

  @Option(names = "--rpc-seed")
  @Nullable String rpcSeed;

  @Option(names = "--rpc-jwt")
  @Nullable String rpcJwt;

  @Option(names = "--rpc-credsfile")
  @Nullable String rpcCredsfile;

  @Option(names = "--rpc-timeout-ms")
  @Nullable Integer rpcTimeoutMs;

  @Option(names = "--ctl-host")
  @Nullable String ctlHost;

  @Option(names = "--ctl-port")
  @Nullable Integer ctlPort;

  @Option(names = "--ctl-seed")
  @Nullable String ctlSeed;

  @Option(names = "--ctl-jwt")
  @Nullable String ctlJwt;

  @Option(names = "--ctl-credsfile")
  @Nullable String ctlCredsfile;

  @Option(
      names = "--tls-ca-path",
      paramLabel = "PEM",
      description =
          "CA the NATS servers' TLS certificates must chain to, for the host and its providers"
              + " (WASMCLOUD_TLS_CA_PATH)")
  @Nullable String tlsCaPath;

  @Option(names = "--prov-rpc-host")
  @Nullable String provRpcHost;

  @Option(names = "--prov-rpc-port")
  @Nullable Integer provRpcPort;

  @Option(
      names = "--js-domain",
      description = "JetStream domain of the lattice data (WASMCLOUD_JS_DOMAIN)")
  @Nullable String jsDomain;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "host label; repeat for several")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--allow-file-load",
      description = "allow starting actors/providers from files (WASMCLOUD_ALLOW_FILE_LOAD)")
  @Nullable Boolean allowFileLoad;

  @Option(
      names = "--metrics-port",
      description = "serve Prometheus metrics on this port (off by default)")
  @Nullable Integer metricsPort;

  @Option(
      names = "--metrics-bind",
      description = "address for the metrics endpoint (default 127.0.0.1)")
  @Nullable String metricsBind;

  @Option(names = "--heartbeat-interval-ms")
  @Nullable Integer heartbeatMs;

  @Option(
      names = "--liveness-interval-ms",
      description =
          "liveness signal interval, 0 = off (TRELLIS_LIVENESS_INTERVAL_MS, default 2000)")
  @Nullable Integer livenessMs;

  @Option(names = "--call-timeout-ms")
  @Nullable Integer callTimeoutMs;

  @Option(names = "--friendly-name")
  @Nullable String friendlyName;

  @Option(names = "--rpc-events", description = "publish invocation results on wasmbus.rpcevt")
  @Nullable Boolean rpcEvents;

  /** The flags as config-file keys, for the top layer of {@link HostConfigLoader}. */
  Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    put(f, "lattice_prefix", latticePrefix);
    put(f, "host_seed", hostSeed);
    put(f, "cluster_seed", clusterSeed);
    put(f, "cluster_issuers", clusterIssuers == null ? null : String.join(",", clusterIssuers));
    put(f, "rpc_host", rpcHost != null ? rpcHost : natsHost);
    put(f, "ctl_host", ctlHost != null ? ctlHost : natsHost);
    put(f, "rpc_port", rpcPort != null ? rpcPort : natsPort);
    put(f, "ctl_port", ctlPort != null ? ctlPort : natsPort);
    put(f, "rpc_seed", rpcSeed);
    put(f, "rpc_jwt", rpcJwt);
    put(f, "rpc_credsfile", rpcCredsfile);
    put(f, "rpc_timeout_ms", rpcTimeoutMs);
    put(f, "ctl_seed", ctlSeed);
    put(f, "ctl_jwt", ctlJwt);
    put(f, "ctl_credsfile", ctlCredsfile);
    put(f, "tls_ca_path", tlsCaPath);
    put(f, "prov_rpc_host", provRpcHost);
    put(f, "prov_rpc_port", provRpcPort);
    put(f, "js_domain", jsDomain);
    put(f, "enable_start_from_fs", allowFileLoad);
    put(f, "metrics_port", metricsPort);
    put(f, "metrics_bind", metricsBind);
    put(f, "heartbeat_interval_ms", heartbeatMs);
    put(f, "liveness_interval_ms", livenessMs);
    put(f, "call_timeout_ms", callTimeoutMs);
    put(f, "friendly_name", friendlyName);
    put(f, "rpc_events", rpcEvents);
    return f;
  }

  private static void put(Map<String, String> m, String k, @Nullable Object v) {
    if (v != null) {
      m.put(k, v.toString());
    }
  }

  /** Builds the config: environment and file as usual, flags on top, then extra labels. */
  HostConfig loadConfig(Map<String, String> extraEnv) {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    env.putAll(extraEnv);
    labels.forEach((k, v) -> env.put("HOST_" + k, v));
    return HostConfigLoader.load(env, config, flags(), Path.of("").toAbsolutePath());
  }

  @Override
  public Integer call() throws Exception {
    HostConfig cfg = loadConfig(Map.of());
    return runForeground(cfg, spec.commandLine().getOut(), null, null, reconciler);
  }

  /**
   * Starts a host, and next to it the application reconciler unless it is turned off, and blocks
   * until the host stops (SIGTERM, Ctrl-C, or a ctl stop command).
   *
   * @param onStarted run once the host is up (may be null)
   * @param onStopped run after the host stopped, also when the JVM is shutting down on a signal
   *     (may be null); it must be idempotent
   */
  public static int runForeground(
      HostConfig cfg,
      PrintWriter out,
      @Nullable Runnable onStarted,
      @Nullable Runnable onStopped,
      ReconcilerOptions apps)
      throws InterruptedException {
    Host host = Host.start(cfg);
    AppsService reconciler =
        apps.startIn(
            host.connections().ctl(),
            cfg.lattice().prefix(),
            cfg.lattice().jsDomainOrNull(),
            cfg.lattice().ctlTopicPrefix(),
            host.id(),
            cfg.lattice().replicas(),
            out);
    if (reconciler != null) {
      AppsMetrics.register(host.meterRegistry(), reconciler);
    }
    // The JVM halts as soon as shutdown hooks finish, so clean-up after a signal must happen in
    // the hook itself, not in code after awaitStopped(). The reconciler goes first: it hands its
    // lease over before the host's connection drains.
    Thread hook =
        new Thread(
            () -> {
              if (reconciler != null) {
                reconciler.close();
              }
              host.stop(Duration.ofSeconds(10));
              if (onStopped != null) {
                onStopped.run();
              }
            },
            "trellis-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(
        "Host "
            + host.id()
            + " ("
            + cfg.identity().friendlyName()
            + ") is running on lattice '"
            + cfg.lattice().prefix()
            + "' via "
            + cfg.nats().ctl().url()
            + (reconciler == null ? " (application reconciler off)" : ""));
    out.flush();
    if (onStarted != null) {
      onStarted.run();
    }
    host.awaitStopped();
    if (reconciler != null) {
      reconciler.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook does the rest
      return 0;
    }
    if (onStopped != null) {
      onStopped.run();
    }
    return 0;
  }
}
