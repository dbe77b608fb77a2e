package io.trellis.lattice;

import io.nats.client.Connection;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Plain-Java benchmark (not a test; run by scripts/bench/lattice-cache.sh on the test classpath):
 *
 * <ol>
 *   <li>propagation: time from {@code a.putLink(l)} being called on host A until host B's listener
 *       sees the LinkPut (B's view already holds it then), over N sequential puts after a warm-up;
 *       also the duration of the {@code putLink} call itself (a JetStream publish plus waiting for
 *       A's own watch);
 *   <li>load: connect + full load of a bucket holding {@code entries} link definitions, on a fresh
 *       connection each round.
 * </ol>
 *
 * <p>Every wait is bounded (5 s per put, the cache's load timeout per load). Arguments: {@code
 * [puts=200] [entries=10000] [loadRounds=3]}.
 */
// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
public final class LatticeCacheBench {
  private LatticeCacheBench() {}

  public static void main(String[] args) throws Exception {
    int puts = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    try (NatsServer nats = NatsServer.start()) {
      try (Connection probe = nats.connect()) {
        System.out.printf(
            "machine: %d CPUs, %s %s, JDK %s, nats-server %s, jnats %s%n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            System.getProperty("java.version"),
            probe.getServerInfo().getVersion(),
            io.nats.client.Nats.CLIENT_VERSION);
      }
      propagation(nats, puts);
      load(nats, entries, rounds);
    }
  }

  private static void propagation(NatsServer nats, int puts) throws Exception {
    String prefix = "bench-prop";
    LatticeCacheOptions options = LatticeCacheOptions.defaults(prefix);
    try (Connection ncA = nats.connect();
        Connection ncB = nats.connect();
        LatticeCache a = LatticeCache.connect(ncA, options);
        LatticeCache b = LatticeCache.connect(ncB, options)) {
      Map<String, CompletableFuture<Long>> seen = new ConcurrentHashMap<>();
      b.addListener(
          e -> {
            if (e instanceof LatticeEvent.LinkPut p) {
              long now = System.nanoTime();
              CompletableFuture<Long> f = seen.get(p.link().id());
              if (f != null) {
                f.complete(now);
              }
            }
          });
      int warmup = Math.max(20, puts / 4);
      long[] visible = new long[puts];
      long[] call = new long[puts];
      for (int i = -warmup; i < puts; i++) {
        LinkDefinition l =
            Fixtures.link(
                Math.floorMod(i, 1000),
                1,
                "bench:c" + (i + warmup),
                "default",
                Map.of("I", Integer.toString(i)));
        CompletableFuture<Long> f = new CompletableFuture<>();
        seen.put(l.id(), f);
        long t0 = System.nanoTime();
        a.putLink(l);
        long t1 = System.nanoTime();
        long arrived = f.get(5, TimeUnit.SECONDS);
        seen.remove(l.id());
        if (i >= 0) {
          call[i] = t1 - t0;
          visible[i] = arrived - t0;
        }
      }
      System.out.printf(
          "propagation A.putLink -> visible on B, %d puts (after %d warm-up): "
              + "p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          puts, warmup, pct(visible, 50), pct(visible, 99), pct(visible, 100));
      System.out.printf(
          "A.putLink call (publish + own watch), %d puts: p50 %.2f ms, p99 %.2f ms%n",
          puts, pct(call, 50), pct(call, 99));
    }
  }

  private static void load(NatsServer nats, int entries, int rounds) throws Exception {
    String prefix = "bench-load";
    List<LinkDefinition> links = new ArrayList<>(entries);
    for (int i = 0; i < entries; i++) {
      links.add(
          Fixtures.link(
              i / 10,
              i % 50,
              "bench:load" + (i % 10),
              "default",
              Map.of("N", Integer.toString(i))));
    }
    try (Connection writer = nats.connect()) {
      LatticeCache.connect(writer, LatticeCacheOptions.defaults(prefix)).close();
      BulkLoadTest.writeRaw(writer, prefix, links);
    }
    long[] took = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      try (Connection nc = nats.connect()) {
        long t0 = System.nanoTime();
        try (LatticeCache cache = LatticeCache.connect(nc, LatticeCacheOptions.defaults(prefix))) {
          took[r] = System.nanoTime() - t0;
          if (cache.links().size() != entries) {
            throw new IllegalStateException("loaded " + cache.links().size() + " of " + entries);
          }
        }
      }
    }
    System.out.printf(
        "connect+load of %d link definitions, %d rounds (fresh connection each): %s ms"
            + " (median %.0f ms)%n",
        entries,
        rounds,
        Arrays.toString(Arrays.stream(took).map(n -> n / 1_000_000).toArray()),
        pct(took, 50));
  }

  /** Nearest-rank percentile in milliseconds. */
  private static double pct(long[] nanos, int p) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))] / 1e6;
  }
}
