package io.trellis.apps.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.KeyValueManagement;
import io.trellis.apps.store.AppStoreException;
import io.trellis.apps.store.Buckets;
import io.trellis.testkit.NatsCluster;
import io.trellis.testkit.NatsServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The application and lease buckets follow the lattice's replica count (the hosts'
 * TRELLIS_LATTICE_REPLICAS), so losing one JetStream server loses no manifest and blocks no
 * reconciler; compare-and-set on them stays exact (PROTOCOL.md §5.3.1).
 */
class AppsBucketReplicasTest {
  @Test
  void theServiceCreatesItsBucketsWithTheLatticesReplicas() throws Exception {
    try (NatsCluster cluster = NatsCluster.start("apps", 3);
        Connection nc = NatsServer.connect(NatsServer.clientOptionsFor(cluster.server(1).url()));
        AppsService apps =
            AppsService.start(nc, AppsOptions.defaults("default", null, "r1").withReplicas(3))) {
      KeyValueManagement kvm = nc.keyValueManagement();
      assertEquals(3, kvm.getStatus(Buckets.apps("default")).getReplicas());
      assertEquals(3, kvm.getStatus(Buckets.leader("default")).getReplicas());
      Awaitility.await("the only reconciler leads")
          .atMost(Duration.ofSeconds(30))
          .until(apps::isLeader);
    }
  }

  @Test
  void moreReplicasThanTheServerCanHoldIsRefusedNamingThem() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection nc = nats.connect()) {
      AppStoreException e =
          assertThrows(
              AppStoreException.class,
              () ->
                  AppsService.start(
                      nc, AppsOptions.defaults("default", null, "r1").withReplicas(3)));
      assertTrue(e.getMessage().contains("TRELLIS_APPS_default with 3 replicas"), e.getMessage());
    }
  }
}
