package io.trellis.lattice;

import static io.trellis.lattice.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * wash deletes ({@code KV-Operation: DEL}), OTP hosts purge: both are deletions (PROTOCOL.md
 * §9.2/§9.3).
 */
class DeletionMarkersTest {
  static NatsServer nats;
  static Connection host;
  static Connection tool;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    host = nats.connect();
    tool = nats.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
    tool.close();
    nats.close();
  }

  @Test
  void deleteAndPurgeMarkersBothRemoveTheLinkAndReportThePreviousValue() throws Exception {
    String prefix = Fixtures.prefix("del");
    try (LatticeCache cache = LatticeCache.connect(host, Fixtures.options(prefix))) {
      Fixtures.Recorder events = new Fixtures.Recorder();
      cache.addListener(events);
      Fixtures.RawBucket raw = new Fixtures.RawBucket(tool, prefix);
      LinkDefinition deleted =
          Fixtures.link(1, 1, "wasmcloud:keyvalue", "default", Map.of("A", "1"));
      LinkDefinition purged =
          Fixtures.link(2, 1, "wasmcloud:keyvalue", "default", Map.of("B", "2"));
      raw.putLink(deleted);
      raw.putLink(purged);
      await().until(() -> cache.links().size() == 2);

      raw.kv.delete(LatticeKeys.linkdef(deleted.id()));
      assertEquals(deleted, events.awaitOne(LatticeEvent.LinkDeleted.class, e -> true).link());
      assertEquals(Optional.empty(), cache.linkById(deleted.id()));

      raw.kv.purge(LatticeKeys.linkdef(purged.id()));
      assertEquals(
          purged,
          events.awaitOne(LatticeEvent.LinkDeleted.class, e -> e.link().equals(purged)).link());
      assertEquals(List.of(), cache.links());
      assertEquals(List.of(), cache.linksForProvider(Fixtures.provider(1), "default"));
      assertEquals(2, events.of(LatticeEvent.LinkDeleted.class).size());
    }
  }

  @Test
  void markersAlsoRemoveClaimsAndRefMapsAndAreSkippedAtLoad() throws Exception {
    String prefix = Fixtures.prefix("del");
    Fixtures.RawBucket raw;
    String pk = Fixtures.actor(5);
    try (LatticeCache cache = LatticeCache.connect(host, Fixtures.options(prefix))) {
      Fixtures.Recorder events = new Fixtures.Recorder();
      cache.addListener(events);
      raw = new Fixtures.RawBucket(tool, prefix);
      cache.putClaims(Fixtures.actorClaims(pk, "gone-alias"));
      cache.putRefMap(new RefMap("example.com/a:1", pk));
      raw.kv.delete(LatticeKeys.claims(pk));
      raw.kv.purge(LatticeKeys.refmap("example.com/a:1"));
      assertEquals(pk, events.awaitOne(LatticeEvent.ClaimsDeleted.class, e -> true).publicKey());
      await().until(() -> cache.resolveRef("example.com/a:1").isEmpty());
      assertEquals(Optional.empty(), cache.claims(pk));
      assertEquals(
          Optional.empty(),
          cache.resolveCallAlias("gone-alias"),
          "an alias goes with its owner's claims");
    }
    // a fresh cache sees only markers for those keys and loads nothing for them
    try (LatticeCache fresh = LatticeCache.connect(host, Fixtures.options(prefix))) {
      assertEquals(List.of(), fresh.allClaims());
      assertEquals(List.of(), fresh.refMaps());
    }
  }
}
