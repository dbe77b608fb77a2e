package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.host.Host;
import io.trellis.testkit.FreePorts;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event subscriptions, the bucket fallback, and what the client says when NATS is not there. */
class EventsAndConnectionTest {
  @TempDir Path dir;

  @Test
  void eventsArriveParsedAndMalformedOnesAreSkipped() throws Exception {
    try (CtlLattice lattice = CtlLattice.withHosts(dir, 1)) {
      Host host = lattice.host(0);
      List<LatticeEventMessage> seen = new CopyOnWriteArrayList<>();
      EventSubscription sub = lattice.client.events(seen::add);
      lattice.raw.publish("wasmbus.evt.default", "not json".getBytes(StandardCharsets.UTF_8));
      lattice.raw.publish("wasmbus.evt.default", "{\"type\":1}".getBytes(StandardCharsets.UTF_8));
      lattice.client.pingHosts(Duration.ofMillis(200)); // hosts beat per ping (PROTOCOL.md §8.2)
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
      LatticeEventMessage beat = seen.get(0);
      assertEquals("host_heartbeat", beat.type());
      assertEquals(host.id(), beat.source());
      assertNotNull(beat.time());
      assertFalse(beat.id().isEmpty());
      assertEquals("1.0", beat.cloudEvent().get("specversion").asText());
      assertEquals("com.wasmcloud.lattice.host_heartbeat", beat.cloudEvent().get("type").asText());
      assertTrue(beat.data().get("actors").isObject());
      assertTrue(
          seen.stream().allMatch(e -> e.type().equals("host_heartbeat")),
          "malformed messages skipped");

      sub.close();
      sub.close();
      int before = seen.size();
      lattice.client.pingHosts(Duration.ofMillis(200));
      Awaitility.await("no events after close")
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(2))
          .until(() -> seen.size() == before);

      CtlTimeoutException t =
          assertThrows(
              CtlTimeoutException.class,
              () ->
                  lattice.client.awaitEvent(
                      e -> e.type().equals("host_stopped"),
                      Duration.ofMillis(200),
                      "host_stopped"));
      assertEquals("no host_stopped event within 200 ms", t.getMessage());
    }
  }

  @Test
  void claimsAndLinksAreReadFromTheBucketWhenNoHostRuns() throws Exception {
    try (CtlLattice lattice = CtlLattice.withHosts(dir, 1)) {
      ActorStarted echo =
          lattice.client.startActorAndWait(
              lattice.host(0).id(), CtlLattice.echoRef(), 1, Map.of(), Duration.ofSeconds(20));
      String provider = KeyPair.generate(KeyType.SERVICE).publicKey();
      assertEquals(
          Ack.ok(),
          lattice.client.putLink(
              LinkDefinition.of(
                  echo.actorId(),
                  provider,
                  "default",
                  "wasmcloud:httpserver",
                  Map.of("address", "0.0.0.0:8080"))));
      lattice.host(0).stop(Duration.ofSeconds(2));
      assertTrue(lattice.client.pingHosts(Duration.ofMillis(200)).isEmpty());

      List<LinkDefinition> links = lattice.client.links();
      assertEquals(1, links.size());
      assertEquals(provider, links.get(0).providerId());
      assertEquals("0.0.0.0:8080", links.get(0).values().get("address"));
      assertTrue(
          lattice.client.claims().stream().anyMatch(c -> c.subject().equals(echo.actorId())));
      assertThrows(
          NoRespondersException.class,
          () -> lattice.client.putLink(links.get(0)),
          "writes still need a host");
    }
  }

  @Test
  void withoutNatsTheClientSaysWhereItTriedToConnect() {
    int port = FreePorts.allocate();
    CtlConnectException e =
        assertThrows(
            CtlConnectException.class,
            () ->
                CtlClient.builder()
                    .url("nats://127.0.0.1:" + port)
                    .connectTimeout(Duration.ofSeconds(1))
                    .build());
    assertEquals(
        "cannot connect to NATS at nats://127.0.0.1:"
            + port
            + ": Connection refused (is a lattice running? try trellis up)",
        e.getMessage());
  }

  @Test
  void aClosedClientReportsTheClosedConnection() {
    try (CtlLattice lattice = CtlLattice.withHosts(dir, 0)) {
      CtlClient c = CtlClient.builder().url(lattice.nats.url()).build();
      c.close();
      CtlConnectException e = assertThrows(CtlConnectException.class, () -> c.pingHosts());
      assertTrue(
          e.getMessage().startsWith("the NATS connection to " + lattice.nats.url() + " is closed"),
          e.getMessage());
    }
  }

  @Test
  void badSettingsAreRejectedBeforeConnecting() {
    IllegalArgumentException lattice =
        assertThrows(
            IllegalArgumentException.class, () -> CtlClient.builder().latticePrefix("a.b").build());
    assertEquals(
        "invalid lattice prefix 'a.b': one NATS subject token, without '.', '*', '>' or spaces",
        lattice.getMessage());
    IllegalArgumentException topic =
        assertThrows(
            IllegalArgumentException.class,
            () -> CtlClient.builder().ctlTopicPrefix("wasmbus").build());
    assertTrue(topic.getMessage().contains("exactly two subject tokens"), topic.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CtlClient.builder().timeout(Duration.ZERO));
  }
}
