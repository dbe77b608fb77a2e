package io.trellis.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md §9.1: create with the OTP configuration; adopt whatever already exists. */
// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
class BucketConfigTest {
  static NatsServer nats;
  static Connection nc;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    nc = nats.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    nc.close();
    nats.close();
  }

  @Test
  void aMissingBucketIsCreatedWithTheSpecConfiguration() throws Exception {
    String prefix = Fixtures.prefix("cfg");
    try (LatticeCache cache = LatticeCache.connect(nc, Fixtures.options(prefix))) {
      assertEquals("LATTICEDATA_" + prefix, cache.bucketName());
      StreamConfiguration sc =
          nc.jetStreamManagement().getStreamInfo("KV_LATTICEDATA_" + prefix).getConfiguration();
      assertEquals(List.of("$KV.LATTICEDATA_" + prefix + ".>"), sc.getSubjects());
      assertEquals(RetentionPolicy.Limits, sc.getRetentionPolicy());
      assertEquals(1, sc.getMaxMsgsPerSubject());
      assertEquals(-1, sc.getMaxMsgs());
      assertEquals(-1, sc.getMaxBytes());
      assertEquals(StorageType.File, sc.getStorageType());
      assertEquals(DiscardPolicy.New, sc.getDiscardPolicy());
      assertEquals(1, sc.getReplicas());
      assertEquals(Duration.ofMinutes(2), sc.getDuplicateWindow());
      assertEquals(Duration.ZERO, sc.getMaxAge());
      assertTrue(sc.getAllowRollup());
      assertTrue(sc.getDenyDelete());
      assertFalse(sc.getDenyPurge());
      assertTrue(sc.getAllowDirect());
      assertFalse(sc.getSealed());
    }
  }

  @Test
  void anExistingBucketWithAnotherConfigurationIsAdoptedAndUsed() throws Exception {
    String prefix = Fixtures.prefix("cfg");
    nc.keyValueManagement()
        .create(
            KeyValueConfiguration.builder()
                .name(LatticeKeys.bucket(prefix))
                .maxHistoryPerKey(5)
                .storageType(StorageType.Memory)
                .build());
    LinkDefinition l = Fixtures.link(1, 1, "wasmcloud:keyvalue", "default", Map.of());
    new Fixtures.RawBucket(nc, prefix).putLink(l);
    try (LatticeCache cache = LatticeCache.connect(nc, Fixtures.options(prefix))) {
      assertEquals(List.of(l), cache.links());
      LinkDefinition l2 = Fixtures.link(2, 1, "wasmcloud:keyvalue", "default", Map.of());
      cache.putLink(l2);
      assertEquals(2, cache.links().size());
    }
    StreamConfiguration sc =
        nc.jetStreamManagement().getStreamInfo("KV_LATTICEDATA_" + prefix).getConfiguration();
    assertEquals(5, sc.getMaxMsgsPerSubject(), "the existing configuration is left alone");
    assertEquals(StorageType.Memory, sc.getStorageType());
  }

  @Test
  void twoHostsCreatingTheSameBucketAtOnceBothSucceed() throws Exception {
    String prefix = Fixtures.prefix("cfg");
    try (Connection other = nats.connect()) {
      var first =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> LatticeCache.connect(nc, Fixtures.options(prefix)));
      var second =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> LatticeCache.connect(other, Fixtures.options(prefix)));
      try (LatticeCache a = first.get();
          LatticeCache b = second.get()) {
        a.putLink(Fixtures.link(3, 1, "c", "default", Map.of()));
        Fixtures.await().until(() -> b.links().size() == 1);
      }
    }
  }

  @Test
  void anUnreachableDomainOrAClosedConnectionFailsClearly() throws Exception {
    LatticeCacheOptions nowhere =
        Fixtures.options(Fixtures.prefix("cfg")).toBuilder()
            .jsDomain("nowhere")
            .requestTimeout(Duration.ofMillis(500))
            .build();
    LatticeStoreUnavailableException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            LatticeStoreUnavailableException.class, () -> LatticeCache.connect(nc, nowhere));
    assertTrue(
        e.getMessage()
            .startsWith(
                "cannot bind or create bucket "
                    + nowhere.bucketName()
                    + " in JetStream domain nowhere: "),
        e.getMessage());

    Connection closed = nats.connect();
    closed.close();
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            LatticeStoreUnavailableException.class,
            () -> LatticeCache.connect(closed, Fixtures.options(Fixtures.prefix("cfg"))));
    assertTrue(e.getMessage().contains("NATS connection is CLOSED"), e.getMessage());
  }
}
