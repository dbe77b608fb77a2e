package io.trellis.bench;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.AppsClient;
import io.trellis.apps.service.AppsOptions;
import io.trellis.apps.service.AppsService;
import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.lattice.LatticeCache;
import io.trellis.lattice.LatticeCacheOptions;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A lattice of many hosts (scripts/bench/lattice-scale.sh): in-JVM hosts on one nats-server, each
 * with its own NATS connections, each running the same {@code actors} actors (re-signed copies of a
 * few small sample modules, so each host compiles each module once), placed through auctions. At
 * each level (default 5, 20, 50 hosts) it measures the control interface round trips, a link put
 * until every host's cache has it, heartbeat bytes, a fresh lattice-cache load, heap per host and
 * an app deploy of 1,000 replicas through the app manager. Loopback only; every wait is bounded.
 */
public final class LatticeScaleBench {
  static final String[] BASES = {"ponger", "echo", "hasher", "kvcounter"};
  static final Duration BOUND = Duration.ofMinutes(10);

  public static void main(String[] args) throws Exception {
    int actors = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    List<Integer> levels = new ArrayList<>();
    for (String s : (args.length > 1 ? args[1] : "5,20,50").split(",")) {
      levels.add(Integer.parseInt(s.trim()));
    }
    Path root = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath().normalize();
    System.out.printf(
        "JDK %s, %d CPUs, max heap %d MiB; %d actors per host, levels %s%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        actors,
        levels);
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    Path dir = Files.createTempDirectory("trellis-scale-bench");
    // one more actor than placed: the app's, deployed and undeployed at each level
    List<String> refs = signActors(root, dir, actors + 1);
    String appRef = refs.removeLast();
    List<Host> hosts = new ArrayList<>();
    try (NatsServer nats = NatsServer.start();
        Connection nc = nats.connect();
        Connection serviceConnection = nats.connect();
        CtlClient ctl =
            CtlClient.builder()
                .connection(nc)
                .timeout(Duration.ofSeconds(10))
                .auctionTimeout(Duration.ofSeconds(10))
                .build()) {
      Heartbeats beats = new Heartbeats(nc);
      long base = RuntimeBench.usedHeap();
      try (AppsService apps =
          AppsService.start(serviceConnection, AppsOptions.defaults("default", null, "bench"))) {
        // hosts stop before the server does (the finally below runs after the server closed)
        for (int level : levels) {
          long t0 = System.nanoTime();
          while (hosts.size() < level) {
            hosts.add(host(nats, cluster, dir, hosts.size()));
          }
          long bootMs = (System.nanoTime() - t0) / 1_000_000;
          long t1 = System.nanoTime();
          place(ctl, refs, hosts);
          long placeMs = (System.nanoTime() - t1) / 1_000_000;
          System.out.printf(
              "%n== %d hosts x %d actors (hosts started in %d ms, actors placed in %d ms)%n",
              level, actors, bootMs, placeMs);
          measure(ctl, nats, nc, hosts, beats, refs, level, base);
          deployApp(apps, nc, hosts, appRef, refs.size(), level);
        }
      } finally {
        stopAll(hosts);
      }
    }
  }

  static void stopAll(List<Host> hosts) throws InterruptedException {
    ExecutorService stopper = Executors.newFixedThreadPool(8);
    for (Host h : hosts) {
      stopper.submit(() -> h.stop(Duration.ofSeconds(2)));
    }
    stopper.shutdown();
    stopper.awaitTermination(2, TimeUnit.MINUTES);
    hosts.clear();
  }

  /** Writes {@code n} signed actors: the base modules re-signed with fresh module keys. */
  static List<String> signActors(Path root, Path dir, int n) throws Exception {
    KeyPair account = KeyPair.generate(KeyType.ACCOUNT);
    List<byte[]> bases = new ArrayList<>();
    for (String b : BASES) {
      bases.add(Files.readAllBytes(root.resolve("actors-samples/dist/" + b + ".wasm")));
    }
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ActorMetadata meta =
          new ActorMetadata(
              "scale-" + i,
              null,
              List.of(),
              List.of("wasmcloud:httpserver", "wasmcloud:keyvalue"),
              1,
              "0.1.0",
              null,
              false);
      byte[] signed =
          ModuleClaims.sign(
              bases.get(i % bases.size()),
              meta,
              account,
              KeyPair.generate(KeyType.MODULE),
              Instant.now().getEpochSecond(),
              "scale",
              null,
              null);
      Path f = dir.resolve("actor-" + i + ".wasm");
      Files.write(f, signed);
      refs.add(f.toUri().toString());
    }
    return refs;
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
    env.put("HOST_zone", "z" + (i % 5));
    env.put("TRELLIS_FRIENDLY_NAME", "scale-" + i);
    return Host.start(HostConfigLoader.load(env, null, Map.of(), dir));
  }

  /**
   * One auction per actor (no constraints, every host answers), then a start on each answering host
   * that does not run it yet; waits until every host runs every actor.
   */
  static void place(CtlClient ctl, List<String> refs, List<Host> hosts) throws Exception {
    Map<String, Host> byId = new HashMap<>();
    hosts.forEach(h -> byId.put(h.id(), h));
    Set<String> failures = ConcurrentHashMap.newKeySet();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (String ref : refs) {
        done.add(
            pool.submit(
                () -> {
                  List<Auctions.ActorAck> acks =
                      ctl.auctionActor(ref, Map.of(), Duration.ofSeconds(10), hosts.size());
                  for (Auctions.ActorAck a : acks) {
                    Host h = byId.get(a.hostId());
                    if (h != null && h.actors().running().size() < refs.size()) {
                      var ack = ctl.startActor(a.hostId(), ref, 1, Map.of());
                      if (!ack.accepted()) {
                        failures.add(ack.error());
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      }
    }
    if (!failures.isEmpty()) {
      System.out.println("  start commands refused: " + failures);
    }
    boolean all = await(() -> hosts.stream().allMatch(h -> running(h) >= refs.size()), BOUND);
    if (!all) {
      throw new IllegalStateException(
          "not every host runs every actor within " + BOUND.toMinutes() + " min");
    }
  }

  static int running(Host h) {
    return h.actors().running().size();
  }

  static boolean await(BooleanSupplier done, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  static void measure(
      CtlClient ctl,
      NatsServer nats,
      Connection nc,
      List<Host> hosts,
      Heartbeats beats,
      List<String> refs,
      int level,
      long baseHeap)
      throws Exception {
    int n = hosts.size();
    // ping.hosts: until every host answered (the client's own call collects for a fixed window)
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      int answers = pingAll(nc, n, Duration.ofSeconds(10));
      System.out.printf("  ping.hosts: %d of %d answered in %.1f ms%n", answers, n, ms(t0));
    }
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      var inv = ctl.inventory(hosts.get(n - 1).id());
      System.out.printf(
          "  get inventory of one host: %d actors in %.1f ms%n", inv.actors().size(), ms(t0));
    }
    int inZone = (n + 3) / 5; // hosts 1, 6, 11, ... have zone=z1
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      List<Auctions.ActorAck> acks =
          ctl.auctionActor(refs.get(1), Map.of("zone", "z1"), Duration.ofSeconds(10), inZone);
      System.out.printf(
          "  auction with constraints (zone=z1): %d hosts of %d expected in %.1f ms%n",
          acks.size(), inZone, ms(t0));
    }
    String actor = hosts.get(0).actors().running().keySet().iterator().next();
    String provider = KeyPair.generate(KeyType.SERVICE).publicKey();
    LinkDefinition link =
        new LinkDefinition(
            null, actor, provider, "l" + level, "wasmcloud:keyvalue", Map.of("level", "" + level));
    long t0 = System.nanoTime();
    ctl.putLink(link);
    double acked = ms(t0);
    boolean seen =
        await(
            () ->
                hosts.stream()
                    .allMatch(
                        h ->
                            h.lattice().link(actor, "wasmcloud:keyvalue", "l" + level).isPresent()),
            Duration.ofSeconds(60));
    System.out.printf(
        "  link put: acked in %.1f ms, seen by %s in %.1f ms%n",
        acked, seen ? "every host" : "NOT every host", ms(t0));

    beats.clear();
    for (Host h : hosts) {
      h.publishHeartbeat();
    }
    await(() -> beats.sizes.size() >= n, Duration.ofSeconds(30));
    System.out.printf(
        "  heartbeat: %d hosts, largest %d bytes, smallest %d bytes%n",
        beats.sizes.size(),
        beats.sizes.values().stream().mapToInt(Integer::intValue).max().orElse(0),
        beats.sizes.values().stream().mapToInt(Integer::intValue).min().orElse(0));

    try (Connection fresh = nats.connect()) {
      long t1 = System.nanoTime();
      try (LatticeCache cache =
          LatticeCache.connect(fresh, LatticeCacheOptions.defaults("default"))) {
        System.out.printf(
            "  lattice-cache load: %.1f ms (%d claims, %d links)%n",
            ms(t1), ctl.claims().size(), cache.links().size());
      }
    }
    long heap = RuntimeBench.usedHeap();
    System.out.printf(
        "  heap: %.1f MiB used, %.2f MiB per host%n",
        heap / 1048576.0, (heap - baseHeap) / 1048576.0 / n);
  }

  /** Publishes one ping.hosts and counts the replies until {@code n} came or {@code limit}. */
  static int pingAll(Connection nc, int n, Duration limit) throws Exception {
    String inbox = nc.createInbox();
    Subscription sub = nc.subscribe(inbox);
    try {
      nc.publish("wasmbus.ctl.default.ping.hosts", inbox, new byte[0]);
      int got = 0;
      long deadline = System.nanoTime() + limit.toNanos();
      while (got < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || sub.nextMessage(Duration.ofNanos(left)) == null) {
          break;
        }
        got++;
      }
      return got;
    } finally {
      sub.unsubscribe();
    }
  }

  static void deployApp(
      AppsService service, Connection nc, List<Host> hosts, String ref, int placed, int level)
      throws Exception {
    AppsClient apps = AppsBench.client(nc);
    if (!await(service::isLeader, Duration.ofSeconds(60))) {
      System.out.println("  app deploy: the app manager did not become leader in 60 s");
      return;
    }
    String version = "v" + level;
    apps.put(manifest(version, ref).getBytes(StandardCharsets.UTF_8));
    long t0 = System.nanoTime();
    apps.deploy("scale", version);
    AppsBench.await(apps, "scale", version, StatusType.DEPLOYED, Duration.ofMinutes(5));
    double deployed = ms(t0);
    int replicas =
        hosts.stream()
            .flatMap(h -> h.actors().running().values().stream())
            .filter(r -> r.imageRef().equals(ref))
            .mapToInt(r -> r.actor().instanceCount())
            .sum();
    long t1 = System.nanoTime();
    apps.undeploy("scale");
    boolean gone =
        await(() -> hosts.stream().allMatch(h -> running(h) <= placed), Duration.ofMinutes(5));
    System.out.printf(
        "  app deploy of 1,000 replicas: deployed in %.0f ms (%d replicas counted on the hosts),"
            + " undeployed%s in %.0f ms%n",
        deployed, replicas, gone ? "" : " (NOT complete)", ms(t1));
  }

  static String manifest(String version, String ref) {
    return """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: { name: scale, annotations: { version: %s } }
        spec:
          components:
            - name: app
              type: actor
              properties: { image: "%s" }
              traits:
                - type: spreadscaler
                  properties: { replicas: 1000 }
        """
        .formatted(version, ref);
  }
}
