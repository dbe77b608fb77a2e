package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.trellis.apps.AppStatus;
import io.trellis.apps.Ownership;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.ApiSubjects;
import io.trellis.apps.api.AppsClient;
import io.trellis.apps.leader.LeaderElection;
import io.trellis.apps.store.Buckets;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.CtlException;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.TcpProxy;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declarative applications on hosts that really die: three {@code trellis host} processes with
 * their reconcilers on (the default), labelled zone=east (two, one of them the HTTP ingress) and
 * zone=west (behind a TCP proxy); an app with a weighted spread, a daemonscaler provider and links,
 * answering HTTP. A non-leader host is SIGKILLed (with its providers), the leader's host is cut off
 * from NATS and comes back, and finally the leader's host is SIGKILLed: every time the replicas are
 * placed again (timed), never twice, and the status says why meanwhile.
 */
class AppsFailoverE2ETest {
  @TempDir Path dir;

  static final String APP = "counter";

  String manifest(int port) {
    return """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: counter
          annotations:
            version: v1
        spec:
          components:
            - name: kvcounter
              type: actor
              properties:
                image: %s
              traits:
                - type: spreadscaler
                  properties:
                    replicas: 6
                    spread:
                      - name: east
                        requirements: { zone: east }
                        weight: 2
                      - name: west
                        requirements: { zone: west }
                        weight: 1
                - type: linkdef
                  properties:
                    target: httpserver
                    values: { ADDRESS: "127.0.0.1:%d" }
                - type: linkdef
                  properties:
                    target: keyvalue
                    values: { bucket: failover_counts }
            - name: httpserver
              type: capability
              properties:
                image: %s
                contract: wasmcloud:httpserver
              traits:
                - type: daemonscaler
                  properties:
                    replicas: 1
                    spread:
                      - name: ingress
                        requirements: { ingress: "true" }
            - name: keyvalue
              type: capability
              properties:
                image: %s
                contract: wasmcloud:keyvalue
              traits:
                - type: spreadscaler
                  properties:
                    replicas: 1
                    spread:
                      - name: ingress
                        requirements: { ingress: "true" }
        """
        .formatted(
            Path.of("..", "actors-samples", "dist", "kvcounter.wasm")
                .toAbsolutePath()
                .normalize()
                .toUri(),
            port,
            Lattice.parRef("httpserver"),
            Lattice.parRef("keyvalue"));
  }

  Map<String, String> env(int port, KeyPair cluster, Map<String, String> labels) {
    Map<String, String> env = new HashMap<>();
    env.put("WASMCLOUD_RPC_PORT", Integer.toString(port));
    env.put("WASMCLOUD_CTL_PORT", Integer.toString(port));
    env.put("WASMCLOUD_PROV_RPC_PORT", Integer.toString(port));
    env.put("WASMCLOUD_CLUSTER_SEED", cluster.seed());
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    env.put("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "1000");
    labels.forEach((k, v) -> env.put("HOST_" + k, v));
    return env;
  }

  /** The app's instances per host, from the hosts' inventories (dead hosts: absent). */
  static Map<String, Integer> counts(CtlClient ctl, List<HostProcess> hosts) {
    Map<String, Integer> m = new HashMap<>();
    for (HostProcess h : hosts) {
      if (!h.alive()) {
        continue;
      }
      try {
        HostInventory inv = ctl.inventory(h.id());
        int n = 0;
        for (HostInventory.Actor a : inv.actors()) {
          for (HostInventory.Instance i : a.instances()) {
            n += Ownership.isOwnedBy(i.annotations(), APP) ? 1 : 0;
          }
        }
        m.put(h.name(), n);
      } catch (CtlException e) {
        m.put(h.name(), -1);
      }
    }
    return m;
  }

  static int providers(CtlClient ctl, List<HostProcess> hosts, String contract) {
    int n = 0;
    for (HostProcess h : hosts) {
      if (!h.alive()) {
        continue;
      }
      try {
        for (HostInventory.Provider p : ctl.inventory(h.id()).providers()) {
          n += p.contractId().equals(contract) && Ownership.isOwnedBy(p.annotations(), APP) ? 1 : 0;
        }
      } catch (CtlException e) {
        // unreachable right now: counted as none
      }
    }
    return n;
  }

  /** Keeps requesting /visits; counts answers and failures. */
  static final class Traffic implements AutoCloseable {
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final Thread thread;

    Traffic(int port) {
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!stop.get()) {
                      String r = get(port);
                      if (r.startsWith("200")) {
                        ok.incrementAndGet();
                      } else {
                        failed.incrementAndGet();
                        failures.add(r);
                      }
                      try {
                        Thread.sleep(100);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    /** A short timeout: a request that went to the dying host fails fast, the next one runs. */
    static String get(int port) {
      try {
        HttpResponse<String> r =
            Lattice.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/visits"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
      } catch (IOException | InterruptedException e) {
        return "ERR " + e;
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(15_000);
    }
  }

  @Test
  void replicasArePlacedAgainWhenHostsDieOrAreCutOffAndNothingRunsTwice() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    int httpPort = FreePorts.allocate();
    List<HostProcess> hosts = new ArrayList<>();
    List<String> statuses = new CopyOnWriteArrayList<>();
    try (NatsServer nats = NatsServer.start();
        TcpProxy proxy = TcpProxy.start(nats.port());
        Connection nc = nats.connect();
        CtlClient ctl = CtlClient.builder().connection(nc).timeout(Duration.ofSeconds(3)).build()) {
      AppsClient apps =
          new AppsClient(nc, new ApiSubjects("wadm.api", "default"), Duration.ofSeconds(10));
      // west starts first, so its reconciler leads
      HostProcess west =
          HostProcess.start("west", dir, env(proxy.port(), cluster, Map.of("zone", "west")));
      hosts.add(west);
      KeyValue leaderKv =
          Buckets.bind(
              nc, Buckets.leader("default"), null, Duration.ofSeconds(3), Duration.ofSeconds(5));
      Awaitility.await("west leads")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> LeaderElection.currentLeader(leaderKv), l -> l.equals(Optional.of(west.id())));
      HostProcess eastA =
          HostProcess.start(
              "east-a", dir, env(nats.port(), cluster, Map.of("zone", "east", "ingress", "true")));
      hosts.add(eastA);
      HostProcess eastB =
          HostProcess.start("east-b", dir, env(nats.port(), cluster, Map.of("zone", "east")));
      hosts.add(eastB);

      // every status the reconcilers write, in order
      KeyValue appsKv =
          Buckets.bind(nc, Buckets.apps("default"), null, Duration.ofSeconds(3), null);
      var watch =
          appsKv.watch(
              "status." + APP,
              new KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry e) {
                  if (e.getValue() != null && e.getValue().length > 0) {
                    try {
                      AppStatus s = AppStatus.fromJson(Json.MAPPER.readTree(e.getValue()));
                      statuses.add(s.info().type().wire() + " " + s.info().message());
                    } catch (IOException ex) {
                      statuses.add("unreadable " + ex);
                    }
                  }
                }

                @Override
                public void endOfData() {}
              },
              KeyValueWatchOption.UPDATES_ONLY);

      apps.put(manifest(httpPort).getBytes());
      apps.deploy(APP, null);
      awaitStatus(apps, StatusType.DEPLOYED, Duration.ofSeconds(90));
      // 6 split 2:1 -> east 4 (2 + 2 on the least-loaded hosts), west 2
      assertEquals(
          Map.of("west", 2, "east-a", 2, "east-b", 2), counts(ctl, hosts), "counts per host");
      assertEquals(1, providers(ctl, hosts, "wasmcloud:httpserver"), "httpserver on ingress only");
      assertEquals(1, providers(ctl, hosts, "wasmcloud:keyvalue"));
      Awaitility.await("HTTP through the app")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Lattice.tryGet(httpPort, "/visits").startsWith("200"));

      // 1. SIGKILL a host that does not lead (with its providers): declared lost by its silence,
      //    its replicas placed on the other east host, traffic keeps flowing
      try (Traffic traffic = new Traffic(httpPort)) {
        Instant killed = Instant.now();
        eastB.kill();
        Awaitility.await("east-b's replicas placed on east-a")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> counts(ctl, hosts).equals(Map.of("west", 2, "east-a", 4)));
        Duration replaced = Duration.between(killed, Instant.now());
        System.out.println(
            "[apps-failover] SIGKILL of a non-leader host -> full replica count in "
                + replaced.toMillis()
                + " ms");
        assertTrue(replaced.compareTo(Duration.ofSeconds(15)) < 0, "within 15 s: " + replaced);
        awaitStatus(apps, StatusType.DEPLOYED, Duration.ofSeconds(60));
        int before = traffic.ok.get();
        Awaitility.await("requests answered after the failover")
            .atMost(Duration.ofSeconds(20))
            .until(() -> traffic.ok.get() >= before + 10);
        traffic.close();
        assertTrue(traffic.ok.get() > 0, "requests were answered meanwhile: " + traffic.failures);
        assertTrue(
            traffic.failed.get() <= 1, "at most the request in flight fails: " + traffic.failures);
      }
      assertTrue(
          statuses.stream()
              .anyMatch(s -> s.startsWith("reconciling") && s.contains("declared lost")),
          "the status said why: " + statuses);
      assertStable(ctl, hosts, Map.of("west", 2, "east-a", 4));
      assertEquals(1, providers(ctl, hosts, "wasmcloud:keyvalue"), "keyvalue once, on east-a");

      // 2. cut the leader's host off: east-a takes over, west's spread cannot be met and the
      //    status says so; west comes back with its replicas and nothing is started twice
      proxy.cut();
      Awaitility.await("east-a leads")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> LeaderElection.currentLeader(leaderKv), l -> l.equals(Optional.of(eastA.id())));
      AppStatus cut = awaitStatus(apps, StatusType.FAILED, Duration.ofSeconds(30));
      assertTrue(
          cut.info().message().contains("spread west: 0 of 1 hosts match zone=west"),
          cut.info().message());
      proxy.restore();
      awaitStatus(apps, StatusType.DEPLOYED, Duration.ofSeconds(60));
      assertStable(ctl, hosts, Map.of("west", 2, "east-a", 4));

      // a new east host joins: the spread is met already, nothing moves
      HostProcess eastC =
          HostProcess.start("east-c", dir, env(nats.port(), cluster, Map.of("zone", "east")));
      hosts.add(eastC);
      assertStable(ctl, hosts, Map.of("west", 2, "east-a", 4, "east-c", 0));

      // 3. SIGKILL the leader's host: another reconciler takes over and places its replicas
      assertEquals(Optional.of(eastA.id()), LeaderElection.currentLeader(leaderKv));
      Instant killed = Instant.now();
      eastA.kill();
      Awaitility.await("a new leader")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> LeaderElection.currentLeader(leaderKv),
              l -> l.isPresent() && !l.get().equals(eastA.id()));
      Awaitility.await("east-a's replicas placed on east-c")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> counts(ctl, hosts).equals(Map.of("west", 2, "east-c", 4)));
      Duration replaced = Duration.between(killed, Instant.now());
      System.out.println(
          "[apps-failover] SIGKILL of the leader's host -> full replica count in "
              + replaced.toMillis()
              + " ms");
      assertTrue(replaced.compareTo(Duration.ofSeconds(20)) < 0, "within 20 s: " + replaced);
      // the only ingress host is gone: the status names exactly that
      AppStatus noIngress = awaitStatus(apps, StatusType.FAILED, Duration.ofSeconds(30));
      assertTrue(
          noIngress.info().message().contains("daemonscaler: 0 of 2 hosts match ingress=true"),
          noIngress.info().message());
      assertStable(ctl, hosts, Map.of("west", 2, "east-c", 4));
      watch.unsubscribe();
    } finally {
      for (HostProcess h : hosts) {
        h.close();
      }
    }
  }

  static AppStatus awaitStatus(AppsClient apps, StatusType type, Duration within) {
    return Awaitility.await("status " + type.wire())
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> apps.status(APP), s -> s.info().type() == type);
  }

  /** The counts hold over two reconcile intervals: nothing is started twice or moved. */
  static void assertStable(CtlClient ctl, List<HostProcess> hosts, Map<String, Integer> want) {
    Awaitility.await("stable at " + want)
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> counts(ctl, hosts).equals(want));
  }
}
