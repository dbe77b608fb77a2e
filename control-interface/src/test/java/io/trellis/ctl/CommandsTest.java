package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.host.Host;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.HostCommands.RegistryCredential;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command (PROTOCOL.md §8.3 and the label extension) through the client against a real host.
 */
class CommandsTest {
  @TempDir static Path dir;
  static CtlLattice lattice;
  static Host host;
  static CtlClient client;

  @BeforeAll
  static void up() {
    lattice =
        new CtlLattice(
            dir, List.of(Map.of("HOST_zone", "a", "TRELLIS_HEARTBEAT_INTERVAL_MS", "300")));
    host = lattice.host(0);
    client = lattice.client;
  }

  @AfterAll
  static void down() {
    lattice.close();
  }

  static HostInventory.Actor actor(String id) {
    return client.inventory(host.id()).actors().stream()
        .filter(a -> a.id().equals(id))
        .findFirst()
        .orElse(null);
  }

  @Test
  void startActorAndWaitReportsEachInstanceThenTheResult() {
    List<LatticeEventMessage> progress = new CopyOnWriteArrayList<>();
    ActorStarted s =
        client.startActorAndWait(
            host.id(),
            CtlLattice.echoRef(),
            3,
            Map.of("purpose", "start-test"),
            Duration.ofSeconds(20),
            progress::add);
    assertEquals(host.id(), s.hostId());
    assertEquals("echo", s.name());
    assertEquals(3, s.count());
    assertTrue(s.actorId().startsWith("M"));
    assertEquals(
        List.of("actor_started", "actor_started", "actor_started"),
        progress.stream().map(LatticeEventMessage::type).toList());
    assertTrue(
        actor(s.actorId()).instances().stream()
                .filter(i -> "start-test".equals(i.annotations().get("purpose")))
                .count()
            >= 3);

    // stop only the annotated instances: 0 = all that match
    assertEquals(
        Ack.ok(), client.stopActor(host.id(), s.actorId(), 0, Map.of("purpose", "start-test")));
    HostInventory.Actor left = actor(s.actorId());
    assertTrue(
        left == null
            || left.instances().stream()
                .noneMatch(i -> "start-test".equals(i.annotations().get("purpose"))));
  }

  @Test
  void aModuleThatCannotLoadIsReportedThroughTheFailedEvent() throws Exception {
    Path bad = Files.write(dir.resolve("bad.wasm"), "definitely not wasm".getBytes());
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () ->
                client.startActorAndWait(
                    host.id(), bad.toUri().toString(), 1, Map.of(), Duration.ofSeconds(10)));
    assertEquals(host.id(), e.hostId());
    assertTrue(e.event().type().endsWith("start_failed"), e.event().type());
    assertFalse(e.error().isBlank());
    assertTrue(
        e.getMessage()
            .startsWith("starting " + bad.toUri() + " on host " + host.id() + " failed: "),
        e.getMessage());
  }

  @Test
  void startCommandsThatCannotWorkAreRefusedInTheAck() {
    Ack missing =
        client.startActor(host.id(), dir.resolve("nope.wasm").toUri().toString(), 1, Map.of());
    assertFalse(missing.accepted());
    assertTrue(
        missing.error().startsWith("no such file: " + dir.resolve("nope.wasm")), missing.error());

    Ack latest = client.startActor(host.id(), "wasmcloud.azurecr.io/echo:latest", 1, Map.of());
    assertFalse(latest.accepted());
    assertTrue(latest.error().contains("WASMCLOUD_OCI_ALLOW_LATEST=true"), latest.error());

    Ack bindle = client.startActor(host.id(), "bindle://example.com/echo/0.1.0", 1, Map.of());
    assertFalse(bindle.accepted());
    assertTrue(bindle.error().startsWith("bindle references are not supported"), bindle.error());

    CtlRejectedException r =
        assertThrows(
            CtlRejectedException.class,
            () ->
                client.startActorAndWait(
                    host.id(),
                    "wasmcloud.azurecr.io/echo@sha256:12",
                    1,
                    Map.of(),
                    Duration.ofSeconds(5)));
    assertTrue(
        r.getMessage()
            .startsWith(
                "starting actor wasmcloud.azurecr.io/echo@sha256:12 on host "
                    + host.id()
                    + " was refused: 'wasmcloud.azurecr.io/echo@sha256:12' is not a valid OCI"
                    + " reference"),
        r.getMessage());
  }

  @Test
  void stopOfAnActorThatIsNotRunningIsAcceptedWithANoteAndScalingItUpIsRefused() {
    String ghost =
        io.trellis.wasmbus.nkeys.KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.MODULE)
            .publicKey();
    Ack stop = client.stopActor(host.id(), ghost, 1, Map.of());
    assertEquals(
        Ack.okWithNote("nothing to stop: actor " + ghost + " is not running on host " + host.id()),
        stop);
    Ack scale = client.scaleActor(host.id(), ghost, "", 2, Map.of());
    assertFalse(scale.accepted());
    assertTrue(scale.error().contains("needs an actor_ref"), scale.error());
  }

  @Test
  void scalingIsReflectedInInventoryAndHeartbeats() throws Exception {
    String ref = CtlLattice.signedEcho(dir, "echo-scale").toUri().toString();
    AtomicReference<LatticeEventMessage> beat = new AtomicReference<>();
    EventSubscription heartbeats =
        client.events(
            e -> {
              if (e.type().equals("host_heartbeat") && e.source().equals(host.id())) {
                beat.set(e);
              }
            });
    try {
      String id =
          client.startActorAndWait(host.id(), ref, 1, Map.of(), Duration.ofSeconds(20)).actorId();
      for (int n : new int[] {3, 1, 0}) {
        assertEquals(Ack.ok(), client.scaleActor(host.id(), id, "", n, Map.of()));
        HostInventory.Actor a = actor(id);
        assertEquals(n, a == null ? 0 : a.instances().size(), "inventory after scaling to " + n);
        Awaitility.await("heartbeat with " + n + " instances")
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    beat.get() != null && beat.get().data().path("actors").path(id).asInt(0) == n);
      }
      // from zero the host needs the reference again
      try (EventWaiter w =
          client.waitFor(
              e -> e.type().equals("actors_started") && e.text("public_key").equals(id))) {
        assertEquals(Ack.ok(), client.scaleActor(host.id(), id, ref, 2, Map.of()));
        assertEquals(
            2, w.await(Duration.ofSeconds(20), "actors_started").data().path("count").asInt());
      }
      assertEquals(2, actor(id).instances().size());
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> beat.get().data().path("actors").path(id).asInt(0) == 2);
    } finally {
      heartbeats.close();
    }
  }

  @Test
  void providerStartFailuresComeBackAsAckOrEvent() throws Exception {
    Ack missing =
        client.startProvider(
            host.id(), dir.resolve("none.par.gz").toUri().toString(), "default", "", Map.of());
    assertFalse(missing.accepted());
    assertTrue(missing.error().startsWith("no such file: "), missing.error());

    Path bad = Files.write(dir.resolve("bad.par.gz"), "not an archive".getBytes());
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () ->
                client.startProviderAndWait(
                    host.id(),
                    bad.toUri().toString(),
                    "default",
                    "",
                    Map.of(),
                    Duration.ofSeconds(10)));
    assertEquals("provider_start_failed", e.event().type());
    assertEquals("default", e.event().text("link_name"));
    assertFalse(e.error().isBlank());

    String ghost =
        io.trellis.wasmbus.nkeys.KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.SERVICE)
            .publicKey();
    Ack stop = client.stopProvider(host.id(), ghost, "default", "wasmcloud:keyvalue", Map.of());
    // nothing to stop is accepted, as on an OTP host, with a note saying so
    assertTrue(stop.accepted());
    assertTrue(
        stop.error().startsWith("nothing to stop: provider " + ghost)
            && stop.error().contains("not running"),
        stop.error());
  }

  @Test
  void labelsArePutAndDeletedAndAuctionsSeeThem() {
    assertEquals(Ack.ok(), client.putLabel(host.id(), "tier", "gold"));
    HostInfo info = client.pingHosts(Duration.ofMillis(300)).get(0);
    assertEquals("gold", info.labels().get("tier"));
    assertEquals(
        1,
        client
            .auctionActor(CtlLattice.echoRef(), Map.of("tier", "gold"), Duration.ofMillis(300))
            .size());

    assertEquals(Ack.ok(), client.deleteLabel(host.id(), "tier"));
    assertFalse(client.inventory(host.id()).labels().containsKey("tier"));
    SameWindow<List<Auctions.ActorAck>> gold =
        SameWindow.of(
            () ->
                client.auctionActor(
                    CtlLattice.echoRef(), Map.of("tier", "gold"), Duration.ofMillis(300)),
            () -> client.auctionActor(CtlLattice.echoRef(), Map.of(), Duration.ofMillis(300)));
    assertTrue(
        gold.control().stream().anyMatch(a -> a.hostId().equals(host.id())),
        "control: the host answers an auction in the window");
    assertTrue(gold.result().isEmpty(), "without the label the host does not bid");

    Ack again = client.deleteLabel(host.id(), "tier");
    assertEquals(Ack.error("host " + host.id() + " has no label 'tier'"), again);
    Ack builtin = client.putLabel(host.id(), "hostcore.os", "plan9");
    assertFalse(builtin.accepted());
    assertTrue(builtin.error().contains("hostcore.*"), builtin.error());
  }

  @Test
  void registryCredentialsAreAccepted() {
    Ack ack =
        client.putRegistries(
            Map.of(
                "https://registry.example.com/v2",
                new RegistryCredential("oci", "me", "secret", null)));
    assertEquals(Ack.ok(), ack);
  }

  @Test
  void stopHostAcksThenTheHostLeaves() throws Exception {
    Host extra = lattice.addHost(Map.of("HOST_role", "doomed"));
    try (EventWaiter w =
        client.waitFor(e -> e.type().equals("host_stopped") && e.source().equals(extra.id()))) {
      assertEquals(Ack.ok(), client.stopHost(extra.id(), Duration.ofSeconds(2)));
      LatticeEventMessage e = w.await(Duration.ofSeconds(10), "host_stopped");
      assertEquals("doomed", e.data().path("labels").path("role").asText());
    }
    extra.awaitStopped();
    assertThrows(NoRespondersException.class, () -> client.inventory(extra.id()));
  }
}
