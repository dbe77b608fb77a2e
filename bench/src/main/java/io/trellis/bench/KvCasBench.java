package io.trellis.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.trellis.testkit.NatsCluster;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.jetstream.KvCompareAndSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compare-and-set increments on JetStream KV (scripts/bench/kv-cas.sh, PROTOCOL.md §5.3.1): what
 * the stream-wide expectation on a replicated bucket costs next to the plain per-subject
 * compare-and-set (exact on one replica, not on three with nats-server 2.9), with one writer and
 * with three writers on three servers. Each writer increments like the keyvalue provider: it
 * remembers the value and revision it wrote and reads again only after a conflict. Every scenario
 * runs for a fixed time.
 */
public final class KvCasBench {
  private record Result(long acks, long conflicts, long duplicates, long finalValue) {}

  private interface Writer {
    long write(String key, byte[] value, long revision) throws Exception;
  }

  private interface Creator {
    long create(String key, byte[] value) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
    System.out.printf(
        "JDK %s, %d CPUs, %d s per scenario, nats-server cluster of 3 on loopback%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), seconds);
    try (NatsCluster cluster = NatsCluster.start("bench", 3)) {
      List<Connection> nc = new ArrayList<>();
      for (NatsServer s : cluster.servers()) {
        nc.add(NatsServer.connect(NatsServer.clientOptionsFor(s.url())));
      }
      try {
        System.out.printf(
            "%-44s %10s %12s %11s %12s%n",
            "scenario", "acks/s", "conflicts/s", "duplicates", "lost");
        run(nc, "R1 plain, 1 writer", 1, false, 1, false, seconds);
        run(nc, "R3 plain, 1 writer", 3, false, 1, false, seconds);
        run(nc, "R3 guarded, 1 writer", 3, true, 1, false, seconds);
        run(nc, "R1 plain, 3 writers on 3 servers, 1 key", 1, false, 3, false, seconds);
        run(nc, "R3 plain, 3 writers on 3 servers, 1 key", 3, false, 3, false, seconds);
        run(nc, "R3 guarded, 3 writers on 3 servers, 1 key", 3, true, 3, false, seconds);
        run(nc, "R3 guarded, 3 writers on 3 servers, 3 keys", 3, true, 3, true, seconds);
      } finally {
        for (Connection c : nc) {
          c.close();
        }
      }
    }
  }

  private static int bucketNo;

  private static void run(
      List<Connection> nc,
      String name,
      int replicas,
      boolean guarded,
      int writers,
      boolean ownKeys,
      long seconds)
      throws Exception {
    String bucket = "cas" + (++bucketNo);
    nc.getFirst()
        .keyValueManagement()
        .create(
            KeyValueConfiguration.builder()
                .name(bucket)
                .storageType(StorageType.File)
                .replicas(replicas)
                .maxHistoryPerKey(1)
                .build());
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong acks = new AtomicLong();
    AtomicLong conflicts = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Connection c = nc.get(w % nc.size());
      KeyValue kv = c.keyValue(bucket);
      KvCompareAndSet cas = KvCompareAndSet.bind(c, kv, null);
      Writer write = guarded ? cas::update : kv::update;
      Creator create = guarded ? cas::create : kv::create;
      String key = ownKeys ? "k" + w : "k";
      threads.add(
          Thread.ofPlatform()
              .start(
                  () ->
                      increment(
                          kv, create, write, key, deadline, acked, acks, conflicts, duplicates)));
    }
    for (Thread t : threads) {
      t.join();
    }
    long finalValue = 0;
    for (int w = 0; w < (ownKeys ? writers : 1); w++) {
      KeyValueEntry e = nc.getFirst().keyValue(bucket).get(ownKeys ? "k" + w : "k");
      finalValue += e == null ? 0 : Long.parseLong(e.getValueAsString());
    }
    Result r = new Result(acks.get(), conflicts.get(), duplicates.get(), finalValue);
    System.out.printf(
        "%-44s %10.0f %12.0f %11d %12d%n",
        name,
        r.acks() / (double) seconds,
        r.conflicts() / (double) seconds,
        r.duplicates(),
        r.acks() - r.finalValue());
  }

  private static void increment(
      KeyValue kv,
      Creator create,
      Writer write,
      String key,
      long deadline,
      Set<String> acked,
      AtomicLong acks,
      AtomicLong conflicts,
      AtomicLong duplicates) {
    try {
      long value = -1;
      long revision = 0;
      while (System.nanoTime() < deadline) {
        if (value < 0) {
          KeyValueEntry e = kv.get(key);
          value = e == null ? 0 : Long.parseLong(e.getValueAsString());
          revision = e == null ? 0 : e.getRevision();
        }
        long next = value + 1;
        try {
          byte[] bytes = Long.toString(next).getBytes(StandardCharsets.UTF_8);
          revision = revision == 0 ? create.create(key, bytes) : write.write(key, bytes, revision);
          value = next;
          acks.incrementAndGet();
          if (!acked.add(key + "=" + next)) {
            duplicates.incrementAndGet();
          }
        } catch (JetStreamApiException conflict) {
          conflicts.incrementAndGet();
          value = -1;
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("writer on " + key + " failed: " + e, e);
    }
  }
}
