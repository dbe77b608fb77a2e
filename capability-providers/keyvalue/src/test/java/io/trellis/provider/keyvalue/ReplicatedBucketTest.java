package io.trellis.provider.keyvalue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.trellis.testkit.NatsCluster;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.jetstream.KvCompareAndSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Three keyvalue provider stores (as three provider processes would have), each connected to a
 * different server of a real three-server cluster, incrementing one counter of an R3 bucket at the
 * same time: every acknowledged value is distinct and the final count is their number. This is the
 * soak's "same value acknowledged twice" finding (RELIABILITY.md), which nats-server 2.9's
 * per-subject check on a replicated stream let through (PROTOCOL.md §5.3.1).
 */
class ReplicatedBucketTest {
  private static final int PER_STORE = 200;

  @Test
  void concurrentIncrementsFromThreeStoresOnThreeServersAreExact() throws Exception {
    try (NatsCluster cluster = NatsCluster.start("kv", 3)) {
      List<Connection> connections = new ArrayList<>();
      try {
        for (NatsServer s : cluster.servers()) {
          connections.add(NatsServer.connect(NatsServer.clientOptionsFor(s.url())));
        }
        connections
            .getFirst()
            .keyValueManagement()
            .create(
                KeyValueConfiguration.builder()
                    .name("counters")
                    .storageType(StorageType.File)
                    .replicas(3)
                    .maxHistoryPerKey(1)
                    .build());
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (Connection c : connections) {
          KvStore store =
              new KvStore(
                  KvCompareAndSet.bind(c, c.keyValue("counters"), null),
                  "counters",
                  Clock.systemUTC());
          for (int t = 0; t < 2; t++) {
            threads.add(
                Thread.ofPlatform()
                    .start(
                        () -> {
                          try {
                            for (int i = 0; i < PER_STORE / 2; i++) {
                              int v = store.increment("hits", 1);
                              if (!acked.add(v)) {
                                throw new AssertionError("value " + v + " acknowledged twice");
                              }
                            }
                          } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                          }
                        }));
          }
        }
        for (Thread t : threads) {
          t.join();
        }
        assertNull(failure.get(), () -> "an increment failed: " + failure.get());
        assertEquals(3 * PER_STORE, acked.size());
        KvStore reader =
            new KvStore(
                KvCompareAndSet.bind(
                    connections.get(1), connections.get(1).keyValue("counters"), null),
                "counters",
                Clock.systemUTC());
        assertEquals(String.valueOf(3 * PER_STORE), reader.get("hits").orElseThrow());
        assertTrue(acked.contains(3 * PER_STORE));
      } finally {
        for (Connection c : connections) {
          c.close();
        }
      }
    }
  }
}
