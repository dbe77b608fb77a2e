package io.trellis.bench;

import io.trellis.host.Host;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.lattice.LatticeEvent;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsTopology;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Link propagation across the global topology (scripts/bench/global.sh): hosts on leaf "us" and
 * leaf "eu", lattice data in the hub's domain. Each link is put through the us host and timed until
 * the eu host's lattice cache reports it. Bounded: N puts, 5 s per put at most.
 */
public final class GlobalPropagationBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    Path dir = Files.createTempDirectory("trellis-global-bench");
    long t0 = System.nanoTime();
    try (NatsTopology topo = NatsTopology.global("hub", "us", "eu")) {
      System.out.printf("topology up in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, topo);
      try (Host us = start(topo.leaf("us"), cluster, dir, "us");
          Host eu = start(topo.leaf("eu"), cluster, dir, "eu")) {
        Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        eu.lattice()
            .addListener(
                e -> {
                  if (e instanceof LatticeEvent.LinkPut p) {
                    CountDownLatch l = waiting.remove(p.link().actorId());
                    if (l != null) {
                      l.countDown();
                    }
                  }
                });
        String provider = KeyPair.generate(KeyType.SERVICE).publicKey();
        long[] lat = new long[n];
        int warm = Math.min(50, n);
        for (int i = -warm; i < n; i++) {
          String actor = KeyPair.generate(KeyType.MODULE).publicKey();
          CountDownLatch seen = new CountDownLatch(1);
          waiting.put(actor, seen);
          long s = System.nanoTime();
          us.lattice()
              .putLink(
                  LinkDefinition.of(
                      actor, provider, "default", "wasmcloud:test", Map.of("i", "" + i)));
          if (!seen.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("link " + i + " never reached the eu host");
          }
          if (i >= 0) {
            lat[i] = System.nanoTime() - s;
          }
        }
        Arrays.sort(lat);
        System.out.printf(
            "link put on the us host -> visible on the eu host (%d puts after %d warm-up): "
                + "p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
            n, warm, lat[n / 2] / 1e6, lat[(int) (n * 0.99)] / 1e6, lat[n - 1] / 1e6);
      }
    }
  }

  static Host start(NatsServer leaf, KeyPair cluster, Path dir, String region) {
    Map<String, String> env =
        Map.of(
            "WASMCLOUD_RPC_PORT",
            "" + leaf.port(),
            "WASMCLOUD_CTL_PORT",
            "" + leaf.port(),
            "WASMCLOUD_CLUSTER_SEED",
            cluster.seed(),
            "WASMCLOUD_JS_DOMAIN",
            "hub",
            "HOST_region",
            region,
            "HOST_CONFIG",
            dir.resolve(region + ".json").toString());
    return Host.start(HostConfigLoader.load(env, null, Map.of(), dir));
  }
}
