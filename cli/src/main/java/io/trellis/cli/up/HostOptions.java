package io.trellis.cli.up;

import io.trellis.cli.support.ClusterSeeds;
import io.trellis.host.config.HostConfig;
import io.trellis.host.config.HostConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The host settings {@code trellis up} exposes; everything else comes from the environment. */
public final class HostOptions {
  @Option(
      names = {"-x", "--lattice-prefix"},
      description = "lattice prefix (default 'default')")
  @Nullable String latticePrefix;

  @Option(
      names = "--js-domain",
      description = "JetStream domain of the lattice data (a leaf uses the hub's)")
  @Nullable String jsDomain;

  @Option(
      names = "--cluster-seed",
      description =
          "cluster seed SC... (default: reuse ~/.trellis/host_config.json, else generate)")
  @Nullable String clusterSeed;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "host label; repeat for several")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--metrics-port", description = "serve Prometheus metrics on this port")
  @Nullable Integer metricsPort;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON config file")
  @Nullable Path config;

  HostConfig load(Map<String, String> extraEnv, String natsHost, int natsPort) {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    extraEnv.forEach(env::putIfAbsent);
    labels.forEach((k, v) -> env.put("HOST_" + k, v));
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("rpc_host", natsHost);
    flags.put("ctl_host", natsHost);
    flags.put("rpc_port", Integer.toString(natsPort));
    flags.put("ctl_port", Integer.toString(natsPort));
    if (latticePrefix != null) {
      flags.put("lattice_prefix", latticePrefix);
    }
    if (jsDomain != null) {
      flags.put("js_domain", jsDomain);
    }
    if (metricsPort != null) {
      flags.put("metrics_port", metricsPort.toString());
    }
    Path hostConfig = Path.of(env.get("HOST_CONFIG"));
    String seed = clusterSeed;
    if (seed == null && env.get("WASMCLOUD_CLUSTER_SEED") == null) {
      // A laptop lattice keeps its cluster key across restarts, so signed links and `trellis call`
      // keep working; the seed lives in the mode-600 host_config.json the host writes.
      seed = ClusterSeeds.seedIn(hostConfig).orElse(null);
    }
    if (seed != null) {
      flags.put("cluster_seed", seed);
    }
    return HostConfigLoader.load(env, config, flags, Path.of("").toAbsolutePath());
  }
}
