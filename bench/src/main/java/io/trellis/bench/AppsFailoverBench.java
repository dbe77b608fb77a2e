package io.trellis.bench;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.trellis.apps.Ownership;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.AppsClient;
import io.trellis.apps.leader.LeaderElection;
import io.trellis.apps.store.Buckets;
import io.trellis.ctl.CtlClient;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failover (scripts/bench/failover.sh): three {@code trellis host} processes with default settings
 * (reconciler on, liveness every 2 s, lost after 7 s, lease 5 s) run an app of 6 echo replicas.
 * Each run SIGKILLs one host and its child processes (mode {@code host}: a host that does not lead
 * and runs replicas; mode {@code leader}: the leader's host) and times until the other hosts run
 * all 6 replicas again; then a fresh host joins, so every run starts from three.
 */
public final class AppsFailoverBench {
  private static final Pattern STARTED = Pattern.compile("Host (N[A-Z0-9]{55}) \\(");
  private static final Map<String, String> OWNED = Ownership.ofApp("bench");

  record HostProc(Process process, String id) {
    void kill() throws InterruptedException {
      List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
      all.add(process.toHandle());
      all.forEach(ProcessHandle::destroyForcibly);
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    String mode = args.length > 1 ? args[1] : "host";
    Path root = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath().normalize();
    Path jar = root.resolve("cli/target/trellis.jar");
    Path dir = Files.createTempDirectory("trellis-failover-bench");
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    List<HostProc> hosts = new ArrayList<>();
    try (NatsServer nats = NatsServer.start();
        Connection nc = nats.connect();
        CtlClient ctl = CtlClient.builder().connection(nc).timeout(Duration.ofSeconds(2)).build()) {
      for (int i = 0; i < 3; i++) {
        hosts.add(start(jar, nats, cluster, dir, "h" + i));
      }
      AppsClient apps = AppsBench.client(nc);
      String echo = root.resolve("actors-samples/dist/echo.wasm").toUri().toString();
      apps.put(
          ("""
          apiVersion: core.oam.dev/v1beta1
          kind: Application
          metadata: { name: bench, annotations: { version: v1 } }
          spec:
            components:
              - name: echo
                type: actor
                properties: { image: "%s" }
                traits:
                  - type: spreadscaler
                    properties: { replicas: 6 }
          """)
              .formatted(echo)
              .getBytes());
      apps.deploy("bench", null);
      AppsBench.await(apps, "bench", "v1", StatusType.DEPLOYED, Duration.ofMinutes(2));
      KeyValue leaderKv =
          Buckets.bind(
              nc, Buckets.leader("default"), null, Duration.ofSeconds(2), Duration.ofSeconds(5));
      long[] took = new long[runs];
      for (int r = 0; r < runs; r++) {
        Optional<String> leader = LeaderElection.currentLeader(leaderKv);
        HostProc victim = pick(ctl, hosts, leader, mode);
        List<String> survivors = hosts.stream().filter(h -> h != victim).map(HostProc::id).toList();
        long t0 = System.nanoTime();
        victim.kill();
        hosts.remove(victim);
        while (AppsBench.instances(ctl, survivors, OWNED) != 6) {
          if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(2)) {
            throw new IllegalStateException("run " + r + ": replicas not restored in 2 minutes");
          }
          Thread.sleep(20);
        }
        took[r] = System.nanoTime() - t0;
        System.out.printf(
            "run %d: SIGKILL of %s%s -> 6 replicas again in %.2f s%n",
            r,
            victim.id().substring(0, 8),
            leader.filter(victim.id()::equals).isPresent() ? " (the leader's host)" : "",
            took[r] / 1e9);
        AppsBench.await(apps, "bench", "v1", StatusType.DEPLOYED, Duration.ofMinutes(1));
        hosts.add(start(jar, nats, cluster, dir, "h" + (3 + r)));
      }
      System.out.println(
          "failover (" + mode + "): SIGKILL -> full replica count " + AppsBench.summary(took));
    } finally {
      for (HostProc h : hosts) {
        h.kill();
      }
    }
  }

  /** The leader's host, or a host that does not lead and runs the most replicas. */
  static HostProc pick(CtlClient ctl, List<HostProc> hosts, Optional<String> leader, String mode) {
    if (mode.equals("leader")) {
      return hosts.stream()
          .filter(h -> leader.filter(h.id()::equals).isPresent())
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no host leads: " + leader));
    }
    return hosts.stream()
        .filter(h -> leader.filter(h.id()::equals).isEmpty())
        .max(Comparator.comparingInt(h -> AppsBench.instances(ctl, List.of(h.id()), OWNED)))
        .orElseThrow();
  }

  static HostProc start(Path jar, NatsServer nats, KeyPair cluster, Path dir, String name)
      throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve(name));
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-jar",
            jar.toString(),
            "host");
    pb.environment().put("HOME", home.toString());
    pb.environment().put("WASMCLOUD_CTL_PORT", "" + nats.port());
    pb.environment().put("WASMCLOUD_RPC_PORT", "" + nats.port());
    pb.environment().put("WASMCLOUD_CLUSTER_SEED", cluster.seed());
    pb.environment().put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    pb.environment().put("HOST_CONFIG", home.resolve("host_config.json").toString());
    Path log = home.resolve("host.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      Matcher m = STARTED.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        return new HostProc(p, m.group(1));
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("host " + name + " exited: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("host " + name + " did not start: " + Files.readString(log));
  }
}
