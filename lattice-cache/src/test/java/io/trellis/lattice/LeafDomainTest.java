package io.trellis.lattice;

import static io.trellis.lattice.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.KeyValueOptions;
import io.trellis.testkit.NatsTopology;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md §9.4: a host on a leaf node uses the hub's lattice data through the hub's domain. */
// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
class LeafDomainTest {
  static NatsTopology topology;

  @BeforeAll
  static void start() {
    topology = NatsTopology.hubAndLeaves("hub", "leaf1");
  }

  @AfterAll
  static void stop() {
    topology.close();
  }

  @Test
  void leafAndHubCachesShareTheHubBucket() throws Exception {
    String prefix = Fixtures.prefix("leaf");
    LatticeCacheOptions hubDomain = Fixtures.options(prefix).toBuilder().jsDomain("hub").build();
    try (Connection leafNc = topology.leaf("leaf1").connect();
        Connection hubNc = topology.hub().connect();
        LatticeCache onLeaf = LatticeCache.connect(leafNc, hubDomain);
        LatticeCache onHub = LatticeCache.connect(hubNc, Fixtures.options(prefix))) {
      LinkDefinition fromLeaf = Fixtures.link(1, 1, "leaf:c", "default", Map.of("FROM", "leaf"));
      onLeaf.putLink(fromLeaf);
      await().until(() -> onHub.linkById(fromLeaf.id()).isPresent());

      LinkDefinition fromHub = Fixtures.link(2, 1, "leaf:c", "default", Map.of("FROM", "hub"));
      onHub.putLink(fromHub);
      await().until(() -> onLeaf.linkById(fromHub.id()).isPresent());
      onHub.putClaims(Fixtures.actorClaims(Fixtures.actor(2), "hubalias"));
      await().until(() -> onLeaf.resolveCallAlias("hubalias").isPresent());

      assertEquals(
          Optional.of(fromLeaf), onLeaf.deleteLink(fromLeaf.actorId(), "leaf:c", "default"));
      await().until(() -> onHub.links().equals(List.of(fromHub)));

      // the bucket lives in the hub's JetStream only
      assertTrue(hubNc.keyValueManagement().getBucketNames().contains(LatticeKeys.bucket(prefix)));
      assertFalse(
          leafNc.keyValueManagement().getBucketNames().contains(LatticeKeys.bucket(prefix)));
      assertEquals(
          List.of(LatticeKeys.claims(Fixtures.actor(2)), LatticeKeys.linkdef(fromHub.id())),
          leafNc
              .keyValue(
                  LatticeKeys.bucket(prefix), KeyValueOptions.builder().jsDomain("hub").build())
              .keys()
              .stream()
              .sorted()
              .toList());
    }
  }

  @Test
  void withoutTheDomainALeafHostHasItsOwnSeparateLatticeData() throws Exception {
    String prefix = Fixtures.prefix("leaf");
    try (Connection leafNc = topology.leaf("leaf1").connect();
        Connection hubNc = topology.hub().connect();
        LatticeCache local = LatticeCache.connect(leafNc, Fixtures.options(prefix));
        LatticeCache onHub = LatticeCache.connect(hubNc, Fixtures.options(prefix))) {
      LinkDefinition l = Fixtures.link(3, 1, "leaf:c", "default", Map.of());
      local.putLink(l);
      onHub.putLink(Fixtures.link(4, 1, "leaf:c", "default", Map.of()));
      assertEquals(List.of(l), local.links());
      assertEquals(1, onHub.links().size());
      assertTrue(leafNc.keyValueManagement().getBucketNames().contains(LatticeKeys.bucket(prefix)));
    }
  }
}
