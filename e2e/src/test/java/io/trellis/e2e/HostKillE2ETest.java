package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.ctl.CtlClient;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix rows 2 and 3 (docs/RELIABILITY.md) with hosts as real processes: a host SIGKILLed
 * while another host runs the same actor, and a host stopped with SIGTERM.
 */
class HostKillE2ETest {
  @TempDir Path dir;

  static Map<String, String> env(int port, KeyPair cluster) {
    Map<String, String> env = new HashMap<>();
    env.put("WASMCLOUD_RPC_PORT", Integer.toString(port));
    env.put("WASMCLOUD_CTL_PORT", Integer.toString(port));
    env.put("WASMCLOUD_PROV_RPC_PORT", Integer.toString(port));
    env.put("WASMCLOUD_CLUSTER_SEED", cluster.seed());
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    env.put("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "500");
    return env;
  }

  static String echoRef() {
    return Path.of("..", "actors-samples", "dist", "echo.wasm").toAbsolutePath().toString();
  }

  static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void awaitProvider(CtlClient ctl, String host, String pk, String link) {
    Awaitility.await("provider " + link + " on " + host)
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                ctl.inventory(host).providers().stream()
                    .anyMatch(p -> p.id().equals(pk) && p.linkName().equals(link)));
  }

  /** The id of the (first) actor {@code host} runs, once its inventory shows one. */
  static String actorOn(CtlClient ctl, String host) {
    return Awaitility.await("an actor on " + host)
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                ctl.inventory(host).actors().stream()
                    .map(HostInventory.Actor::id)
                    .findFirst()
                    .orElse(null),
            a -> a != null);
  }

  @Test
  void aKilledHostsRequestsFailOnlyInFlightAndItsProvidersExitByThemselves() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    try (NatsServer nats = NatsServer.start();
        Connection nc = nats.connect();
        CtlClient ctl = CtlClient.builder().connection(nc).timeout(Duration.ofSeconds(5)).build();
        HostProcess doomed = HostProcess.start("doomed", dir, env(nats.port(), cluster));
        HostProcess survivor = HostProcess.start("survivor", dir, env(nats.port(), cluster))) {
      String httpserver = ProviderArchive.read(Lattice.par("httpserver")).publicKey();
      CtlClient.require(ctl.startActor(doomed.id(), echoRef(), 1, Map.of()), "echo on doomed");
      CtlClient.require(ctl.startActor(survivor.id(), echoRef(), 1, Map.of()), "echo on survivor");
      // the ingress on the survivor; the doomed host runs its own listener (link name "doomed")
      CtlClient.require(
          ctl.startProvider(survivor.id(), Lattice.parRef("httpserver"), "default", "", Map.of()),
          "httpserver on survivor");
      CtlClient.require(
          ctl.startProvider(doomed.id(), Lattice.parRef("httpserver"), "doomed", "", Map.of()),
          "httpserver on doomed");
      awaitProvider(ctl, survivor.id(), httpserver, "default");
      awaitProvider(ctl, doomed.id(), httpserver, "doomed");
      String echo = actorOn(ctl, doomed.id());
      int port = FreePorts.allocate();
      int doomedPort = FreePorts.allocate();
      CtlClient.require(
          ctl.putLink(
              LinkDefinition.of(
                  echo,
                  httpserver,
                  "default",
                  Contracts.HTTP_SERVER,
                  // a request in flight on the dead host gets a 504 after 3 s
                  Map.of("ADDRESS", "127.0.0.1:" + port, "timeout_ms", "3000"))),
          "link default");
      CtlClient.require(
          ctl.putLink(
              LinkDefinition.of(
                  echo,
                  httpserver,
                  "doomed",
                  Contracts.HTTP_SERVER,
                  Map.of("ADDRESS", "127.0.0.1:" + doomedPort))),
          "link doomed");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Lattice.tryGet(port, "/").startsWith("200")
                      && Lattice.tryGet(doomedPort, "/").startsWith("200"));
      List<ProcessHandle> orphans = doomed.descendants();
      assertTrue(!orphans.isEmpty(), "the doomed host runs a provider process");

      // load on the survivor's listener; requests are spread over both hosts' echo instances
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
      AtomicInteger ok = new AtomicInteger();
      List<String> inFlight = new CopyOnWriteArrayList<>();
      List<String> afterKill = new CopyOnWriteArrayList<>();
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        load.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (running.get()) {
                        long start = System.nanoTime();
                        String r = Lattice.tryGet(port, "/load");
                        if (r.startsWith("200")) {
                          ok.incrementAndGet();
                        } else {
                          String what = r.length() > 100 ? r.substring(0, 100) : r;
                          // sent before the kill (with 100 ms for the kill to land): in flight
                          (start < killedAt.get() + 100_000_000L ? inFlight : afterKill).add(what);
                        }
                      }
                    }));
      }
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() >= 30);
      assertTrue(inFlight.isEmpty(), "no failure before the kill: " + inFlight);
      killedAt.set(System.nanoTime());
      doomed.killAlone();

      // the survivor answers everything; only what was in flight on the dead host failed
      int okAtKill = ok.get();
      Awaitility.await("200 answers after the kill")
          .atMost(Duration.ofSeconds(60))
          .until(() -> ok.get() >= okAtKill + 200);
      running.set(false);
      for (Thread t : load) {
        t.join();
      }
      System.out.printf(
          "RELIABILITY row 3: %d requests in flight failed (%s), %d answered after the kill in %d"
              + " ms%n",
          inFlight.size(),
          inFlight,
          ok.get() - okAtKill,
          (System.nanoTime() - killedAt.get()) / 1_000_000);
      assertEquals(List.of(), afterKill, "every request sent after the kill is answered");
      assertTrue(inFlight.size() <= 3, "at most one in flight per client: " + inFlight);
      assertTrue(
          inFlight.stream().allMatch(f -> f.startsWith("504")),
          "a request lost with the dead host ends in a 504, not a hang: " + inFlight);

      // the dead host's provider processes notice by themselves (stdin closed) and exit
      Awaitility.await("the dead host's providers exit")
          .atMost(Duration.ofSeconds(30))
          .until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));
      System.out.printf(
          "RELIABILITY row 3: orphaned providers gone %d ms after the kill%n",
          (System.nanoTime() - killedAt.get()) / 1_000_000);
      assertTrue(portFree(doomedPort), "no orphan keeps the listener port " + doomedPort);
      assertTrue(Lattice.tryGet(port, "/after").startsWith("200"), "the survivor still serves");

      // row 2: SIGTERM to the survivor stops its providers; nothing outlives it
      List<ProcessHandle> children = survivor.descendants();
      assertTrue(!children.isEmpty(), "the survivor runs a provider process");
      assertTrue(survivor.terminate(Duration.ofSeconds(30)), "the host exits on SIGTERM");
      Awaitility.await("the survivor's providers are gone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
      assertTrue(portFree(port), "no provider keeps the listener port " + port);
    }
  }
}
