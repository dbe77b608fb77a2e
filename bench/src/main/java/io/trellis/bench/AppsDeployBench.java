package io.trellis.bench;

import io.nats.client.Connection;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.AppsClient;
import io.trellis.apps.service.AppsOptions;
import io.trellis.apps.service.AppsService;
import io.trellis.host.Host;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deploy to {@code deployed} (scripts/bench/apps.sh): {@code small} is an app of three components
 * and ten replicas (echo x5, kvcounter x4, the httpserver provider x1, a link) on 3 hosts; {@code
 * large} is one actor with 1,000 replicas over 10 hosts. In-JVM hosts on one nats-server, the
 * reconciler with its default timings. Each run: put a new version, deploy, poll the status every
 * 20 ms until deployed; then undeploy and wait until it is gone.
 */
public final class AppsDeployBench {
  public static void main(String[] args) throws Exception {
    String scenario = args.length > 0 ? args[0] : "small";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    boolean large = scenario.equals("large");
    int hostCount = large ? 10 : 3;
    Path root = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath().normalize();
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    Path dir = Files.createTempDirectory("trellis-apps-bench");
    List<Host> hosts = new ArrayList<>();
    try (NatsServer nats = NatsServer.start();
        Connection nc = nats.connect();
        Connection serviceConnection = nats.connect()) {
      for (int i = 0; i < hostCount; i++) {
        hosts.add(host(nats, cluster, dir, i));
      }
      try (AppsService service =
          AppsService.start(serviceConnection, AppsOptions.defaults("default", null, "bench"))) {
        AppsClient apps = AppsBench.client(nc);
        while (!service.isLeader()) {
          Thread.sleep(20);
        }
        long[] deploy = new long[runs];
        long[] undeploy = new long[runs];
        for (int r = 0; r < runs; r++) {
          String version = "v" + r;
          apps.put(manifest(large, version, root).getBytes());
          long t0 = System.nanoTime();
          apps.deploy("bench", version);
          AppsBench.await(apps, "bench", version, StatusType.DEPLOYED, Duration.ofMinutes(5));
          deploy[r] = System.nanoTime() - t0;
          long t1 = System.nanoTime();
          apps.undeploy("bench");
          while (hosts.stream().anyMatch(h -> !h.actors().running().isEmpty())
              || !apps.status("bench").info().message().isEmpty()) {
            Thread.sleep(20);
          }
          undeploy[r] = System.nanoTime() - t1;
          System.out.printf(
              "run %d: deployed in %.2f s, undeployed in %.2f s%n",
              r, deploy[r] / 1e9, undeploy[r] / 1e9);
        }
        System.out.println(
            (large
                    ? "1,000 replicas of one actor over 10 hosts"
                    : "3 components, 10 replicas," + " 3 hosts")
                + ": deploy -> deployed "
                + AppsBench.summary(deploy)
                + "; undeploy -> gone "
                + AppsBench.summary(undeploy));
      }
    } finally {
      for (Host h : hosts) {
        h.stop(Duration.ofSeconds(5));
      }
    }
  }

  static Host host(NatsServer nats, KeyPair cluster, Path dir, int i) {
    Map<String, String> env = new HashMap<>();
    env.put("WASMCLOUD_RPC_PORT", "" + nats.port());
    env.put("WASMCLOUD_CTL_PORT", "" + nats.port());
    env.put("WASMCLOUD_PROV_RPC_PORT", "" + nats.port());
    env.put("WASMCLOUD_CLUSTER_SEED", cluster.seed());
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    env.put("HOST_CONFIG", dir.resolve("host" + i + ".json").toString());
    env.put("HOST_index", "" + i);
    return Host.start(HostConfigLoader.load(env, null, Map.of(), dir));
  }

  static String manifest(boolean large, String version, Path root) {
    String echo = root.resolve("actors-samples/dist/echo.wasm").toUri().toString();
    if (large) {
      return """
          apiVersion: core.oam.dev/v1beta1
          kind: Application
          metadata: { name: bench, annotations: { version: %s } }
          spec:
            components:
              - name: echo
                type: actor
                properties: { image: "%s" }
                traits:
                  - type: spreadscaler
                    properties: { replicas: 1000 }
          """
          .formatted(version, echo);
    }
    return """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: { name: bench, annotations: { version: %s } }
        spec:
          components:
            - name: echo
              type: actor
              properties: { image: "%s" }
              traits:
                - type: spreadscaler
                  properties: { replicas: 5 }
                - type: linkdef
                  properties: { target: httpserver, values: { ADDRESS: "127.0.0.1:0" } }
            - name: kvcounter
              type: actor
              properties: { image: "%s" }
              traits:
                - type: spreadscaler
                  properties: { replicas: 4 }
            - name: httpserver
              type: capability
              properties:
                image: "%s"
                contract: wasmcloud:httpserver
              traits:
                - type: spreadscaler
                  properties: { replicas: 1 }
        """
        .formatted(
            version,
            echo,
            root.resolve("actors-samples/dist/kvcounter.wasm").toUri(),
            root.resolve("capability-providers/dist/httpserver.par.gz").toUri());
  }
}
