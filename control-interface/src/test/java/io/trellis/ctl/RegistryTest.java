package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.host.Host;
import io.trellis.oci.CredentialSource;
import io.trellis.oci.MediaTypes;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciOptions;
import io.trellis.oci.PushRequest;
import io.trellis.testkit.OciRegistry;
import io.trellis.testkit.RawOci;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Actors and providers started by OCI reference (PROTOCOL.md §14) through the control interface on
 * two hosts, against a real docker-registry: start, auction, scale, live update, a mutable tag, the
 * reference map and the inventory's image ref.
 */
class RegistryTest {
  @TempDir static Path dir;
  static OciRegistry reg;
  static CtlLattice lattice;
  static OciClient pusher;
  static CtlClient client;

  @BeforeAll
  static void up() {
    reg = OciRegistry.start();
    lattice = new CtlLattice(dir, List.of(hostEnv("a"), hostEnv("b")));
    client = lattice.client;
    pusher =
        new OciClient(
            OciOptions.defaults(null).withAllowedInsecure(List.of(reg.host())),
            CredentialSource.none());
  }

  /** Each host has its own Trellis directory, so its own OCI cache. */
  static Map<String, String> hostEnv(String name) {
    return Map.of(
        "WASMCLOUD_OCI_ALLOWED_INSECURE",
        reg.host(),
        "TRELLIS_HOME",
        dir.resolve("home-" + name).toString());
  }

  @AfterAll
  static void down() {
    if (pusher != null) {
      pusher.close();
    }
    if (lattice != null) {
      lattice.close();
    }
    reg.close();
  }

  static byte[] signedEcho(String name, KeyPair account, KeyPair module, int rev) throws Exception {
    return Files.readAllBytes(CtlLattice.signedEcho(dir, name, account, module, rev));
  }

  static String push(String repoAndTag, byte[] bytes) {
    String ref = reg.host() + "/" + repoAndTag;
    pusher.push(ref, bytes, PushRequest.defaults());
    return ref;
  }

  @Test
  void echoFromTheRegistryOnTwoHostsPlacedByAuctionScaledAndCalled() throws Exception {
    String ref = push("trellis/echo:0.1.0", Files.readAllBytes(CtlLattice.ECHO));
    Host a = lattice.host(0);
    Host b = lattice.host(1);
    List<LatticeEventMessage> refmaps = new CopyOnWriteArrayList<>();
    try (EventSubscription sub =
        client.events(
            e -> {
              if (e.type().equals("refmap_set")) {
                refmaps.add(e);
              }
            })) {
      List<Auctions.ActorAck> bids = client.auctionActor(ref, Map.of(), Duration.ofMillis(500));
      assertEquals(2, bids.size(), "both hosts bid for an OCI reference");
      assertTrue(bids.stream().allMatch(x -> x.actorRef().equals(ref)));

      ActorStarted s = client.startActorAndWait(a.id(), ref, 1, Map.of(), Duration.ofSeconds(30));
      assertEquals(ref, s.imageRef());
      HostInventory.Actor listed = find(a, s.actorId());
      assertEquals(ref, listed.imageRef());

      Awaitility.await("refmap_set for " + ref)
          .atMost(Duration.ofSeconds(10))
          .until(() -> refmaps.stream().anyMatch(e -> e.text("oci_url").equals(ref)));
      assertEquals(
          s.actorId(),
          refmaps.stream()
              .filter(e -> e.text("oci_url").equals(ref))
              .findFirst()
              .orElseThrow()
              .text("public_key"));
      Awaitility.await("the lattice's reference map")
          .atMost(Duration.ofSeconds(10))
          .until(() -> b.lattice().resolveRef(ref).orElse("").equals(s.actorId()));

      // scale on the other host: it pulls the reference itself, into its own cache
      assertEquals(Ack.ok(), client.scaleActor(b.id(), s.actorId(), ref, 2, Map.of()));
      Awaitility.await("two instances on host b")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> find(b, s.actorId()) != null && find(b, s.actorId()).instances().size() == 2);
      assertEquals(ref, find(b, s.actorId()).imageRef());
      assertTrue(
          Files.isDirectory(
              dir.resolve("home-b").resolve("cache").resolve("oci").resolve("blobs")));

      ActorCaller caller = new ActorCaller(client, null, lattice.cluster);
      InvocationResponse r =
          caller.invoke(
              s.actorId(),
              HttpRequest.OPERATION,
              new HttpRequest("GET", "/oci", "", Map.of(), new byte[0]).toMsgPack());
      assertTrue(r.isSuccess(), String.valueOf(r.error()));
      assertEquals(200, HttpResponse.fromMsgPack(r.msg()).statusCode());
      assertEquals(Ack.ok(), client.stopActor(a.id(), s.actorId(), 0, Map.of()));
      assertEquals(Ack.ok(), client.stopActor(b.id(), s.actorId(), 0, Map.of()));
    }
  }

  static HostInventory.Actor find(Host h, String id) {
    return client.inventory(h.id()).actors().stream()
        .filter(x -> x.id().equals(id))
        .findFirst()
        .orElse(null);
  }

  @Test
  void liveUpdateToANewTagAndAMutableTagHonouredBetweenStarts() throws Exception {
    KeyPair account = KeyPair.generate(KeyType.ACCOUNT);
    KeyPair module = KeyPair.generate(KeyType.MODULE);
    Host a = lattice.host(0);
    String v1 = push("trellis/upd:1.0.0", signedEcho("upd", account, module, 1));
    String v2 = push("trellis/upd:2.0.0", signedEcho("upd", account, module, 2));
    ActorStarted s = client.startActorAndWait(a.id(), v1, 1, Map.of(), Duration.ofSeconds(30));
    assertEquals(module.publicKey(), s.actorId());
    assertEquals(Ack.ok(), client.updateActor(a.id(), s.actorId(), v2, Map.of()));
    HostInventory.Actor updated = find(a, s.actorId());
    assertEquals(v2, updated.imageRef());
    assertEquals(2, updated.instances().get(0).revision());
    assertEquals(Ack.ok(), client.stopActor(a.id(), s.actorId(), 0, Map.of()));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> find(a, s.actorId()) == null);

    // the same tag, re-pushed with revision 3 between two starts: the second start runs 3
    String stable = push("trellis/upd:stable", signedEcho("upd", account, module, 2));
    client.startActorAndWait(a.id(), stable, 1, Map.of(), Duration.ofSeconds(30));
    assertEquals(2, find(a, s.actorId()).instances().get(0).revision());
    assertEquals(Ack.ok(), client.stopActor(a.id(), s.actorId(), 0, Map.of()));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> find(a, s.actorId()) == null);
    push("trellis/upd:stable", signedEcho("upd", account, module, 3));
    client.startActorAndWait(a.id(), stable, 1, Map.of(), Duration.ofSeconds(30));
    assertEquals(3, find(a, s.actorId()).instances().get(0).revision());
    client.stopActor(a.id(), s.actorId(), 0, Map.of());
  }

  @Test
  void aModulePushedByHandInWashsLayoutStarts() throws Exception {
    KeyPair module = KeyPair.generate(KeyType.MODULE);
    byte[] wasm = signedEcho("curl", KeyPair.generate(KeyType.ACCOUNT), module, 1);
    new RawOci(reg)
        .pushWashLayout(
            "trellis/curl", "0.3.4", MediaTypes.ACTOR_CONFIG, MediaTypes.ACTOR_LAYER, wasm);
    String ref = reg.host() + "/trellis/curl:0.3.4";
    ActorStarted s =
        client.startActorAndWait(lattice.host(1).id(), ref, 1, Map.of(), Duration.ofSeconds(30));
    assertEquals(module.publicKey(), s.actorId());
    assertEquals(ref, s.imageRef());
    client.stopActor(lattice.host(1).id(), s.actorId(), 0, Map.of());
  }

  @Test
  void aProviderArchiveFromTheRegistry() throws Exception {
    Path par = ProviderLifecycleTest.PAR;
    assertTrue(Files.isRegularFile(par), "build capability-providers first: " + par);
    String ref = push("trellis/keyvalue:0.1.0", Files.readAllBytes(par));
    Host b = lattice.host(1);
    List<Auctions.ProviderAck> bids =
        client.auctionProvider(ref, "oci", Map.of(), Duration.ofMillis(500));
    assertEquals(2, bids.size());
    ProviderStarted p =
        client.startProviderAndWait(b.id(), ref, "oci", "", Map.of(), Duration.ofSeconds(60));
    assertEquals("wasmcloud:keyvalue", p.contractId());
    assertEquals(ref, p.imageRef());
    HostInventory.Provider listed =
        client.inventory(b.id()).providers().stream()
            .filter(x -> x.id().equals(p.providerId()))
            .findFirst()
            .orElseThrow();
    assertEquals(ref, listed.imageRef());
    assertEquals(
        List.of(lattice.host(0).id()),
        client.auctionProvider(ref, "oci", Map.of(), Duration.ofMillis(500)).stream()
            .map(Auctions.ProviderAck::hostId)
            .toList(),
        "the host running it with that link name no longer bids");
    assertEquals(
        Ack.ok(), client.stopProvider(b.id(), p.providerId(), "oci", p.contractId(), Map.of()));
  }
}
