package io.trellis.ctl;

import static io.trellis.ctl.CtlLattice.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.ctl.Auctions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auctions across three hosts with different labels (PROTOCOL.md §8.4, §10.3). */
class AuctionTest {
  static final Duration WINDOW = Duration.ofMillis(400);
  @TempDir static Path dir;
  static CtlLattice lattice;
  static String us;
  static String eu1;
  static String eu2;

  @BeforeAll
  static void up() {
    lattice =
        new CtlLattice(
            dir,
            List.of(
                Map.of("HOST_region", "us"),
                Map.of("HOST_region", "eu"),
                Map.of("HOST_region", "eu", "HOST_tier", "gold")));
    us = lattice.host(0).id();
    eu1 = lattice.host(1).id();
    eu2 = lattice.host(2).id();
  }

  @AfterAll
  static void down() {
    lattice.close();
  }

  static Set<String> actorBids(Map<String, String> constraints) {
    List<Auctions.ActorAck> acks =
        lattice.client.auctionActor(CtlLattice.echoRef(), constraints, WINDOW);
    acks.forEach(
        a -> {
          assertEquals(CtlLattice.echoRef(), a.actorRef());
          assertEquals(constraints, a.constraints());
        });
    return Set.copyOf(acks.stream().map(Auctions.ActorAck::hostId).toList());
  }

  /** No host bids for {@code constraints}, while all three bid in the same window without them. */
  static void assertNobodyBids(Map<String, String> constraints, String why) {
    SameWindow<Set<String>> w =
        SameWindow.of(() -> actorBids(constraints), () -> actorBids(Map.of()));
    assertEquals(Set.of(us, eu1, eu2), w.control(), "control: every host answers in the window");
    assertEquals(Set.of(), w.result(), why);
  }

  static Set<String> providerBids(Map<String, String> constraints) {
    return Set.copyOf(
        lattice
            .client
            .auctionProvider("file:///tmp/kv.par.gz", "default", constraints, WINDOW)
            .stream()
            .map(Auctions.ProviderAck::hostId)
            .toList());
  }

  @Test
  void onlyHostsWhoseLabelsContainEveryConstraintBid() {
    assertEquals(Set.of(eu1, eu2), actorBids(Map.of("region", "eu")));
    assertEquals(Set.of(us), actorBids(Map.of("region", "us")));
    assertEquals(Set.of(eu2), actorBids(Map.of("region", "eu", "tier", "gold")));
    assertEquals(Set.of(us, eu1, eu2), actorBids(Map.of()), "no constraints: everyone bids");
    assertNobodyBids(Map.of("region", "EU"), "values compare case-sensitively");
    assertNobodyBids(Map.of("region", "us", "tier", "gold"), "every constraint must match");
    assertEquals(
        Set.of(us, eu1, eu2),
        actorBids(Map.of("hostcore.os", lattice.host(0).labels().get("hostcore.os"))),
        "built-in labels take part");
  }

  @Test
  void providerAuctionsMatchTheSameWay() {
    List<Auctions.ProviderAck> acks =
        lattice.client.auctionProvider(
            "file:///tmp/kv.par.gz", "cache", Map.of("region", "eu"), WINDOW);
    assertEquals(
        Set.of(eu1, eu2), Set.copyOf(acks.stream().map(Auctions.ProviderAck::hostId).toList()));
    acks.forEach(a -> assertEquals("cache", a.linkName()));
    SameWindow<Set<String>> mars =
        SameWindow.of(() -> providerBids(Map.of("region", "mars")), () -> providerBids(Map.of()));
    assertEquals(Set.of(us, eu1, eu2), mars.control(), "control: every host answers in the window");
    assertEquals(Set.of(), mars.result(), "no host is on mars");
  }

  @Test
  void takingTheFirstBidEndsTheAuctionEarly() {
    long t0 = System.nanoTime();
    List<Auctions.ActorAck> first =
        lattice.client.auctionActor(
            CtlLattice.echoRef(), Map.of("region", "eu"), Duration.ofSeconds(5), 1);
    assertEquals(1, first.size());
    assertTrue(Set.of(eu1, eu2).contains(first.get(0).hostId()));
    assertTrue(
        System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(),
        "did not wait out the 5 s window");
  }

  @Test
  void rawBidsHaveTheSpecFields() throws Exception {
    List<JsonNode> actor =
        lattice.rawGather(
            "wasmbus.ctl.default.auction.actor",
            "{\"actor_ref\":\"x.wasm\",\"constraints\":{\"tier\":\"gold\"}}",
            WINDOW);
    assertEquals(1, actor.size());
    assertEquals(Set.of("actor_ref", "constraints", "host_id"), fields(actor.get(0)));
    assertEquals(eu2, actor.get(0).get("host_id").asText());
    assertEquals("gold", actor.get(0).get("constraints").get("tier").asText());

    List<JsonNode> provider =
        lattice.rawGather(
            "wasmbus.ctl.default.auction.provider",
            "{\"provider_ref\":\"p.par.gz\",\"constraints\":{\"region\":\"us\"}}",
            WINDOW);
    assertEquals(1, provider.size());
    assertEquals(
        Set.of("provider_ref", "link_name", "constraints", "host_id"), fields(provider.get(0)));
    assertEquals(
        "default", provider.get(0).get("link_name").asText(), "link_name defaults to default");
  }

  @Test
  void aMalformedAuctionGetsOneErrorFromEachHost() throws Exception {
    List<JsonNode> replies =
        lattice.rawGather("wasmbus.ctl.default.auction.actor", "{\"constraints\":{}}", WINDOW);
    assertEquals(3, replies.size());
    for (JsonNode r : replies) {
      assertEquals(false, r.get("accepted").asBoolean());
      assertEquals(
          "invalid actor auction request: 'actor_ref' is required", r.get("error").asText());
    }
  }
}
