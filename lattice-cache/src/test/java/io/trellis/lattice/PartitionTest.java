package io.trellis.lattice;

import static io.trellis.lattice.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.KeyValuePurgeOptions;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.TcpProxy;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lattice changes while one host cannot see it (its connection is cut, its watch stalls, the
 * bucket is recreated). Afterwards the host's view equals the bucket, phantoms included, and it
 * reported exactly the differences.
 */
// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
class PartitionTest {
  static NatsServer nats;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
  }

  @AfterAll
  static void stop() {
    nats.close();
  }

  @Test
  void aHostCutOffWhileTheLatticeChangesCatchesUpAndDropsPhantoms() throws Exception {
    String prefix = Fixtures.prefix("cut");
    try (TcpProxy proxy = TcpProxy.start(nats.port());
        Connection ncA = NatsServer.connect(NatsServer.clientOptionsFor(proxy.url()));
        Connection ncB = nats.connect();
        LatticeCache a = LatticeCache.connect(ncA, Fixtures.options(prefix));
        LatticeCache b = LatticeCache.connect(ncB, Fixtures.options(prefix))) {
      LinkDefinition l1 = Fixtures.link(1, 1, "cut:c", "default", Map.of());
      LinkDefinition l2 = Fixtures.link(2, 1, "cut:c", "default", Map.of("V", "1"));
      LinkDefinition l3 = Fixtures.link(3, 1, "cut:c", "default", Map.of());
      String pk = Fixtures.actor(9);
      b.putLink(l1);
      b.putLink(l2);
      b.putLink(l3);
      b.putClaims(Fixtures.actorClaims(pk, "cutalias"));
      b.putRefMap(new RefMap("cut/ref:1", pk));
      await().until(() -> a.links().size() == 3 && a.resolveRef("cut/ref:1").isPresent());
      Fixtures.Recorder events = new Fixtures.Recorder();
      a.addListener(events);

      proxy.cut();
      await().until(() -> ncA.getStatus() != Connection.Status.CONNECTED);
      LinkDefinition l2b = Fixtures.link(2, 2, "cut:c", "default", Map.of("V", "2"));
      LinkDefinition l4 = Fixtures.link(4, 1, "cut:c", "default", Map.of());
      b.deleteLink(l1.actorId(), "cut:c", "default");
      b.putLink(l2b);
      Fixtures.RawBucket raw = new Fixtures.RawBucket(ncB, prefix);
      raw.kv.purge(LatticeKeys.claims(pk));
      // remove the purge markers too: replaying the stream from where A stopped can no longer
      // tell A that l1 and the claims are gone; only a full resync can
      raw.kv.purgeDeletes(KeyValuePurgeOptions.builder().deleteMarkersNoThreshold().build());
      b.putLink(l4); // last, so the stream's last message exists and the stall check stays quiet

      assertEquals(3, a.links().size(), "while cut off, reads serve the last view");
      assertTrue(a.linkById(l1.id()).isPresent());
      assertThrows(LatticeStoreUnavailableException.class, () -> a.putLink(l4));
      assertFalse(a.isStoreReachable());
      assertTrue(events.events.isEmpty());

      proxy.restore();
      Set<LinkDefinition> expected = Set.of(l2b, l3, l4);
      await().until(() -> new HashSet<>(a.links()).equals(expected) && a.claims(pk).isEmpty());
      await().until(a::isStoreReachable);
      assertEquals(expected, new HashSet<>(b.links()));
      assertEquals(List.of(), a.allClaims());
      assertTrue(a.resolveCallAlias("cutalias").isEmpty());
      assertEquals(List.of(new RefMap("cut/ref:1", pk)), a.refMaps());

      assertEquals(
          List.of(new LatticeEvent.LinkDeleted(l1)), events.of(LatticeEvent.LinkDeleted.class));
      assertEquals(
          Set.of(new LatticeEvent.LinkPut(l2b, l2), new LatticeEvent.LinkPut(l4, null)),
          Set.copyOf(events.of(LatticeEvent.LinkPut.class)));
      assertEquals(
          List.of(new LatticeEvent.ClaimsDeleted(pk)), events.of(LatticeEvent.ClaimsDeleted.class));
      assertTrue(
          events.events.stream().noneMatch(e -> e.toString().contains(l3.actorId())),
          "an unchanged link produces no event");
    }
  }

  @Test
  void aStalledWatchIsDetectedAndResynced() throws Exception {
    String prefix = Fixtures.prefix("stall");
    try (Connection ncA = nats.connect();
        Connection ncW = nats.connect();
        LatticeCache a = LatticeCache.connect(ncA, Fixtures.options(prefix))) {
      Fixtures.RawBucket raw = new Fixtures.RawBucket(ncW, prefix);
      LinkDefinition l1 = Fixtures.link(1, 1, "stall:c", "default", Map.of());
      raw.putLink(l1);
      await().until(() -> a.linkById(l1.id()).isPresent());
      // delete the watch's consumer behind jnats' back: no error, just silence
      JetStreamManagement jsm = ncW.jetStreamManagement();
      String stream = "KV_" + LatticeKeys.bucket(prefix);
      for (String consumer : jsm.getConsumerNames(stream)) {
        jsm.deleteConsumer(stream, consumer);
      }
      LinkDefinition l2 = Fixtures.link(2, 1, "stall:c", "default", Map.of());
      raw.putLink(l2);
      // jnats' own heartbeat alarm would take 3 idle-heartbeat periods; the 200 ms check is faster
      await().atMost(Duration.ofSeconds(4)).until(() -> a.linkById(l2.id()).isPresent());
      LinkDefinition l3 = Fixtures.link(3, 1, "stall:c", "default", Map.of());
      raw.putLink(l3);
      await().until(() -> a.linkById(l3.id()).isPresent());
    }
  }

  @Test
  void aRecreatedBucketIsReloadedAndItsOldContentDropped() throws Exception {
    String prefix = Fixtures.prefix("recreate");
    try (Connection ncA = nats.connect();
        Connection ncW = nats.connect();
        LatticeCache a = LatticeCache.connect(ncA, Fixtures.options(prefix))) {
      Fixtures.Recorder events = new Fixtures.Recorder();
      a.addListener(events);
      LinkDefinition old1 = Fixtures.link(1, 1, "re:c", "default", Map.of());
      LinkDefinition old2 = Fixtures.link(2, 1, "re:c", "default", Map.of());
      a.putLink(old1);
      a.putLink(old2);
      ncW.keyValueManagement().delete(LatticeKeys.bucket(prefix));
      ncW.keyValueManagement()
          .create(
              io.nats.client.api.KeyValueConfiguration.builder()
                  .name(LatticeKeys.bucket(prefix))
                  .maxHistoryPerKey(1)
                  .build());
      LinkDefinition fresh = Fixtures.link(3, 1, "re:c", "default", Map.of());
      new Fixtures.RawBucket(ncW, prefix).putLink(fresh);
      await().until(() -> a.links().equals(List.of(fresh)));
      assertEquals(
          Set.of(new LatticeEvent.LinkDeleted(old1), new LatticeEvent.LinkDeleted(old2)),
          Set.copyOf(events.of(LatticeEvent.LinkDeleted.class)));
      assertEquals(
          fresh, events.awaitOne(LatticeEvent.LinkPut.class, e -> e.link().equals(fresh)).link());
    }
  }

  @Test
  void resyncOnRequestCompletesWithTheCurrentView() throws Exception {
    String prefix = Fixtures.prefix("resync");
    try (Connection ncA = nats.connect();
        LatticeCache a = LatticeCache.connect(ncA, Fixtures.options(prefix))) {
      LinkDefinition l = Fixtures.link(1, 1, "rs:c", "default", Map.of());
      a.putLink(l);
      a.resync().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(List.of(l), a.links());
      assertTrue(a.isStoreReachable());
    }
  }
}
