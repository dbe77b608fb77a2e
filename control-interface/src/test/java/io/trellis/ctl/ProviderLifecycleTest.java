package io.trellis.ctl;

import static io.trellis.ctl.CtlLattice.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.HostInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real provider process through its whole control-interface life: auction, start and wait,
 * inventory, no second bid, duplicate refused, stop. Needs the keyvalue archive that {@code
 * capability-providers/keyvalue} packages (this module depends on it, so a reactor build packages
 * it first); fails, naming the archive and the build command, when it is missing.
 */
class ProviderLifecycleTest {
  static final Path PAR =
      Path.of("..", "capability-providers", "dist", "keyvalue.par.gz").toAbsolutePath().normalize();
  @TempDir Path dir;

  @Test
  void providerIsPlacedStartedListedAndStopped() throws Exception {
    assertTrue(
        Files.isRegularFile(PAR),
        "provider archive "
            + PAR
            + " is missing: build it with"
            + " `mvn -pl capability-providers/keyvalue -am package -DskipTests`");
    try (CtlLattice lattice =
        new CtlLattice(dir, List.of(Map.of("HOST_region", "eu"), Map.of("HOST_region", "us")))) {
      CtlClient c = lattice.client;
      String ref = PAR.toUri().toString();
      String eu = lattice.host(0).id();
      List<Auctions.ProviderAck> bids =
          c.auctionProvider(ref, "default", Map.of("region", "eu"), Duration.ofMillis(400));
      assertEquals(List.of(eu), bids.stream().map(Auctions.ProviderAck::hostId).toList());

      ProviderStarted p =
          c.startProviderAndWait(
              eu, ref, "default", "", Map.of("owner", "test"), Duration.ofSeconds(60));
      assertTrue(p.providerId().startsWith("V"), p.providerId());
      assertEquals("wasmcloud:keyvalue", p.contractId());
      assertEquals("default", p.linkName());

      HostInventory.Provider listed = c.inventory(eu).providers().get(0);
      assertEquals(p.providerId(), listed.id());
      assertEquals("test", listed.annotations().get("owner"));
      JsonNode raw =
          lattice.rawRequest("wasmbus.ctl.default.get." + eu + ".inv", "").get("providers").get(0);
      assertEquals(
          Set.of(
              "id",
              "image_ref",
              "contract_id",
              "link_name",
              "name",
              "instance_id",
              "annotations",
              "revision"),
          fields(raw));

      assertEquals(
          Set.of(lattice.host(1).id()),
          Set.copyOf(
              c
                  .auctionProvider(p.providerId(), "default", Map.of(), Duration.ofMillis(400))
                  .stream()
                  .map(Auctions.ProviderAck::hostId)
                  .toList()),
          "a host already running the provider under that link name does not bid");
      assertEquals(
          Set.of(lattice.host(1).id()),
          Set.copyOf(
              c.auctionProvider(ref, "default", Map.of(), Duration.ofMillis(400)).stream()
                  .map(Auctions.ProviderAck::hostId)
                  .toList()),
          "nor when asked by reference");
      assertEquals(
          2,
          c.auctionProvider(ref, "other", Map.of(), Duration.ofMillis(400)).size(),
          "another link name is another provider instance");
      Ack dup = c.startProvider(eu, ref, "default", "", Map.of());
      assertFalse(dup.accepted());
      assertTrue(
          dup.error().startsWith("Provider with that link name is already running on this host"),
          dup.error());

      try (EventWaiter w =
          c.waitFor(e -> e.type().equals("provider_stopped") && e.source().equals(eu))) {
        assertEquals(
            Ack.ok(), c.stopProvider(eu, p.providerId(), "default", p.contractId(), Map.of()));
        assertEquals(
            p.providerId(), w.await(Duration.ofSeconds(15), "provider_stopped").text("public_key"));
      }
      assertTrue(c.inventory(eu).providers().isEmpty());
    }
  }
}
