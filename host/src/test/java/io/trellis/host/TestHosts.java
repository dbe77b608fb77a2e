package io.trellis.host;

import io.trellis.host.config.HostConfig;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.nkeys.KeyPair;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** In-JVM hosts against a real nats-server, configured the way an operator would (environment). */
public final class TestHosts {
  private TestHosts() {}

  public static Map<String, String> env(NatsServer nats, KeyPair cluster, Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("WASMCLOUD_RPC_PORT", Integer.toString(nats.port()));
    env.put("WASMCLOUD_CTL_PORT", Integer.toString(nats.port()));
    env.put("WASMCLOUD_PROV_RPC_PORT", Integer.toString(nats.port()));
    env.put("WASMCLOUD_CLUSTER_SEED", cluster.seed());
    env.put("HOST_CONFIG", dir.resolve("host_config-" + System.nanoTime() + ".json").toString());
    return env;
  }

  public static HostConfig config(
      NatsServer nats, KeyPair cluster, Path dir, Map<String, String> extra) {
    Map<String, String> env = env(nats, cluster, dir);
    env.putAll(extra);
    return HostConfigLoader.load(env, null, Map.of(), dir);
  }

  public static Host start(NatsServer nats, KeyPair cluster, Path dir, Map<String, String> extra) {
    return Host.start(config(nats, cluster, dir, extra));
  }

  public static Host start(NatsServer nats, KeyPair cluster, Path dir) {
    return start(nats, cluster, dir, Map.of());
  }
}
