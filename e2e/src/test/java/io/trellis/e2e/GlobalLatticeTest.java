package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsTopology;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local copy of a global deployment: a hub supercluster of 2 clusters x 3 servers (JetStream
 * domain "hub"), two leaf nodes "us" and "eu" with their own domains, one host on each leaf. The
 * lattice data lives in the hub's domain, in a bucket with three replicas
 * (TRELLIS_LATTICE_REPLICAS), so the loss of one hub server per cluster loses nothing and blocks no
 * write (fault matrix row 4, docs/RELIABILITY.md).
 */
class GlobalLatticeTest {
  @TempDir Path dir;

  static List<String> auction(
      Ctl ctl, String ref, Map<String, String> constraints, Duration window) {
    try {
      return ctl.auctionActor(ref, constraints, window);
    } catch (Exception e) {
      throw new IllegalStateException("auction for " + constraints + " failed", e);
    }
  }

  /**
   * Waits until every host's lattice view holds exactly {@code link} for its triple. The bound is
   * generous on purpose: after a hub server dies, a watch whose consumer lived there is only
   * noticed as stalled by the second watch check (2 x 5 s by default) and then resynced, so a
   * correct host can take well over 10 s on a loaded machine.
   */
  static void awaitLinkEverywhere(List<Host> hosts, LinkDefinition link) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                hosts.stream()
                    .allMatch(
                        h ->
                            h.lattice()
                                .link(link.actorId(), link.contractId(), link.linkName())
                                .filter(link::equals)
                                .isPresent()));
  }

  /** The replicas of the lattice bucket's stream as the hub reports them. */
  static int bucketReplicas(Connection hubClient, String hubDomain) throws Exception {
    return hubClient
        .jetStreamManagement(JetStreamOptions.builder().domain(hubDomain).build())
        .getStreamInfo("KV_LATTICEDATA_default")
        .getConfiguration()
        .getReplicas();
  }

  @Test
  void anHttpRequestInTheUsIsServedByTheActorInTheEu() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    try (NatsTopology topo = NatsTopology.global("hub", "us", "eu", 3);
        Host us =
            TestHosts.start(
                topo.leaf("us"),
                cluster,
                dir,
                Map.of(
                    "WASMCLOUD_JS_DOMAIN",
                    "hub",
                    "HOST_region",
                    "us",
                    "WASMCLOUD_ALLOW_FILE_LOAD",
                    "true",
                    "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS",
                    "500",
                    "TRELLIS_LATTICE_REPLICAS",
                    "3"));
        Host eu =
            TestHosts.start(
                topo.leaf("eu"),
                cluster,
                dir,
                Map.of(
                    "WASMCLOUD_JS_DOMAIN",
                    "hub",
                    "HOST_region",
                    "eu",
                    "WASMCLOUD_ALLOW_FILE_LOAD",
                    "true",
                    "TRELLIS_LATTICE_REPLICAS",
                    "3"));
        // a control client that, like a real one, fails over between the hub servers
        Connection hubClient =
            NatsServer.connect(
                NatsServer.clientOptionsFor(topo.hubUrls().toArray(String[]::new)))) {
      Ctl ctl = new Ctl(hubClient, "default");
      String echoRef =
          Path.of("..", "actors-samples", "dist", "echo.wasm").toAbsolutePath().toString();

      // echo with --constraint region=eu: only the eu host bids, and only it runs echo
      List<String> bidders =
          ctl.auctionActor(echoRef, Map.of("region", "eu"), Duration.ofSeconds(2));
      assertEquals(List.of(eu.id()), bidders);
      // nobody is on mars; the positive control, an unconstrained auction over the same window at
      // the same time, shows both hosts answer across the leaves within that window
      CompletableFuture<List<String>> control =
          CompletableFuture.supplyAsync(
              () -> auction(ctl, echoRef, Map.of(), Duration.ofMillis(800)));
      List<String> mars = auction(ctl, echoRef, Map.of("region", "mars"), Duration.ofMillis(800));
      assertEquals(Set.of(us.id(), eu.id()), Set.copyOf(control.join()), "control: both bid");
      assertEquals(List.of(), mars, "no host is on mars");
      assertTrue(ctl.startActor(eu.id(), echoRef).accepted());
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !eu.actors().running().isEmpty());
      String echo = eu.actors().running().keySet().iterator().next();
      assertTrue(us.actors().running().isEmpty());

      // the httpserver provider on the us host
      String httpRef = Lattice.parRef("httpserver");
      String httpserver = ProviderArchive.read(Lattice.par("httpserver")).publicKey();
      assertTrue(ctl.startProvider(us.id(), httpRef).accepted());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> us.providers().isHealthy(httpserver, "default"));

      // a link put on one side becomes visible on every host (how fast is measured by
      // scripts/bench/global.sh, not asserted here: six servers, two hosts and a provider share
      // two cores in this test)
      int port = FreePorts.allocate();
      LinkDefinition link =
          LinkDefinition.of(
              echo,
              httpserver,
              "default",
              Contracts.HTTP_SERVER,
              Map.of("ADDRESS", "127.0.0.1:" + port));
      Ack put = ctl.putLink(link.toJson());
      assertTrue(put.accepted(), put.error());
      awaitLinkEverywhere(List.of(us, eu), link);

      // HTTP on the us port, served by echo on the eu host: leaf -> hub -> leaf
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Lattice.tryGet(port, "/from/us").startsWith("200"));
      assertTrue(Lattice.get(port, "/from/us").body().contains("\"path\":\"/from/us\""));

      // Failover: kill the hub server each leaf is attached to right now (a leaf picks one of its
      // cluster's servers at random, so a fixed name would miss it about half the time per leaf).
      NatsServer usHub = topo.attachedHub("us").orElseThrow();
      NatsServer euHub = topo.attachedHub("eu").orElseThrow();
      assertTrue(topo.cluster("hub-a").contains(usHub), "leaf us is on hub-a: " + usHub);
      assertTrue(topo.cluster("hub-b").contains(euHub), "leaf eu is on hub-b: " + euHub);
      // The lattice bucket has three replicas in one hub cluster: losing one server of each
      // cluster leaves a quorum, so writes go on while the killed servers stay down.
      assertEquals(3, bucketReplicas(hubClient, topo.hubDomain()), "the bucket is R3");
      long killedAt = System.nanoTime();
      usHub.kill();
      euHub.kill();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  topo.attachedHub("us").filter(h -> h != usHub).isPresent()
                      && topo.attachedHub("eu").filter(h -> h != euHub).isPresent());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Lattice.tryGet(port, "/after/failover").startsWith("200"));
      System.out.printf(
          "RELIABILITY row 4: HTTP served again %d ms after the hub kills%n",
          (System.nanoTime() - killedAt) / 1_000_000);
      for (int i = 0; i < 20; i++) {
        assertEquals(200, Lattice.get(port, "/steady/" + i).statusCode(), "traffic keeps flowing");
      }

      // Lattice data after the failover: a link put now is stored and reaches both hosts through
      // their leaves' new hub servers (their bucket watches survived the move).
      LinkDefinition later =
          LinkDefinition.of(
              echo,
              KeyPair.generate(KeyType.SERVICE).publicKey(),
              "default",
              Contracts.KEY_VALUE,
              Map.of("written", "after-failover"));
      // No server comes back: the write is accepted as soon as the stream has its new leader.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> ctl.putLink(later.toJson()).accepted());
      System.out.printf(
          "RELIABILITY row 4: lattice writable again %d ms after the hub kills%n",
          (System.nanoTime() - killedAt) / 1_000_000);
      assertTrue(!usHub.isRunning() && !euHub.isRunning(), "the killed servers stay down");
      awaitLinkEverywhere(List.of(us, eu), later);
      assertEquals(
          link,
          us.lattice().link(echo, Contracts.HTTP_SERVER, "default").orElseThrow(),
          "the earlier link is still there");

      // the eu host goes away: a clear 503 until a replica runs elsewhere
      eu.stop(Duration.ofSeconds(5));
      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> Lattice.tryGet(port, "/gone").startsWith("503"));
      us.actors().start(Files.readAllBytes(Path.of(echoRef)), echoRef, 1, Map.of());
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Lattice.tryGet(port, "/back").startsWith("200"));
    }
  }
}
