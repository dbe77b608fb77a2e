package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsTopology;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local copy of a global deployment: a hub supercluster of 2 clusters x 2 servers (JetStream
 * domain "hub"), two leaf nodes "us" and "eu" with their own domains, one host on each leaf. The
 * lattice data lives in the hub's domain.
 */
class GlobalLatticeTest {
  @TempDir Path dir;

  @Test
  void anHttpRequestInTheUsIsServedByTheActorInTheEu() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    try (NatsTopology topo = NatsTopology.global("hub", "us", "eu");
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
                    "500"));
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
                    "true"));
        Connection hubClient = topo.hub().connect()) {
      Ctl ctl = new Ctl(hubClient, "default");
      String echoRef =
          Path.of("..", "actors-samples", "dist", "echo.wasm").toAbsolutePath().toString();

      // echo with --constraint region=eu: only the eu host bids, and only it runs echo
      List<String> bidders =
          ctl.auctionActor(echoRef, Map.of("region", "eu"), Duration.ofSeconds(2));
      assertEquals(List.of(eu.id()), bidders);
      assertTrue(
          ctl.auctionActor(echoRef, Map.of("region", "mars"), Duration.ofMillis(800)).isEmpty());
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

      // a link put on one side is visible on every host in under a second
      int port = FreePorts.allocate();
      LinkDefinition link =
          LinkDefinition.of(
              echo,
              httpserver,
              "default",
              Contracts.HTTP_SERVER,
              Map.of("ADDRESS", "127.0.0.1:" + port));
      long t0 = System.nanoTime();
      Ack put = ctl.putLink(link.toJson());
      assertTrue(put.accepted(), put.error());
      Awaitility.await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(5))
          .until(
              () ->
                  us.lattice().link(echo, Contracts.HTTP_SERVER, "default").isPresent()
                      && eu.lattice().link(echo, Contracts.HTTP_SERVER, "default").isPresent());
      long propagationMs = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(propagationMs < 1000, "link visible everywhere after " + propagationMs + " ms");

      // HTTP on the us port, served by echo on the eu host: leaf -> hub -> leaf
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Lattice.tryGet(port, "/from/us").startsWith("200"));
      assertTrue(Lattice.get(port, "/from/us").body().contains("\"path\":\"/from/us\""));

      // killing one hub server: the leaves fail over to the other server of their cluster
      topo.server("hub-a-1").kill();
      topo.server("hub-b-1").kill();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Lattice.tryGet(port, "/after/failover").startsWith("200"));
      for (int i = 0; i < 20; i++) {
        assertEquals(200, Lattice.get(port, "/steady/" + i).statusCode(), "traffic keeps flowing");
      }

      // the eu host goes away: a clear 503 until a replica runs elsewhere
      eu.stop(Duration.ofSeconds(5));
      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> Lattice.tryGet(port, "/gone").startsWith("503"));
      us.actors().start(java.nio.file.Files.readAllBytes(Path.of(echoRef)), echoRef, 1, Map.of());
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Lattice.tryGet(port, "/back").startsWith("200"));
    }
  }
}
