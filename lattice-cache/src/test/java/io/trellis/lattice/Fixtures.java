package io.trellis.lattice;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueEntry;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/** Keys, links, options and raw bucket access shared by the lattice-cache tests. */
final class Fixtures {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

  private Fixtures() {}

  /** A lattice prefix no other test uses, so tests sharing a server never share a bucket. */
  static String prefix(String name) {
    return name + "-" + PREFIXES.incrementAndGet();
  }

  /** Fast timeouts and a 200 ms watch check, so resilience tests run in seconds. */
  static LatticeCacheOptions options(String prefix) {
    return LatticeCacheOptions.builder(prefix)
        .requestTimeout(Duration.ofSeconds(2))
        .loadTimeout(Duration.ofSeconds(20))
        .watchCheckInterval(Duration.ofMillis(200))
        .build();
  }

  /** A deterministic, valid actor public key (M…). */
  static String actor(int i) {
    return key(KeyType.MODULE, i);
  }

  /** A deterministic, valid provider public key (V…). */
  static String provider(int i) {
    return key(KeyType.SERVICE, i);
  }

  private static String key(KeyType type, int i) {
    return KEYS.computeIfAbsent(
        type + "/" + i,
        k -> {
          byte[] seed = ByteBuffer.allocate(32).putInt(type.ordinal()).putInt(i).array();
          return KeyPair.fromRawSeed(type, seed).publicKey();
        });
  }

  static LinkDefinition link(
      int actor, int provider, String contract, String linkName, Map<String, String> values) {
    return LinkDefinition.of(actor(actor), provider(provider), linkName, contract, values);
  }

  static ClaimsRecord actorClaims(String pk, String alias) {
    return new ClaimsRecord(
        alias,
        "ABRIBHH54GM7QIEJBYYGZJUSDAMO34YM4SKWUQJGIILRB7JYGXEPWUVT",
        "actor-" + pk.substring(0, 6),
        "wasmcloud:keyvalue",
        "1",
        "",
        "0.1.0",
        pk,
        "",
        null);
  }

  static Connection connect(NatsServer server) {
    return server.connect();
  }

  /** Polls fast: every check here is a local read. */
  static org.awaitility.core.ConditionFactory await() {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10));
  }

  /** Records every event, in order. */
  static final class Recorder implements LatticeListener {
    final List<LatticeEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(LatticeEvent e) {
      events.add(e);
    }

    <T extends LatticeEvent> List<T> of(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends LatticeEvent> T awaitOne(Class<T> type, Predicate<T> match) {
      return await()
          .until(
              () -> of(type).stream().filter(match).findFirst().orElse(null),
              java.util.Objects::nonNull);
    }

    void clear() {
      events.clear();
    }
  }

  /** The bucket through plain jnats, as another tool (wash, another host) would write it. */
  static final class RawBucket {
    final KeyValue kv;

    RawBucket(Connection nc, String prefix, String jsDomain) throws IOException {
      // short timeout: a tool retrying through a server restart should not sit out 5 s defaults
      KeyValueOptions.Builder o = KeyValueOptions.builder().jsRequestTimeout(Duration.ofSeconds(1));
      if (jsDomain != null) {
        o.jsDomain(jsDomain);
      }
      kv = nc.keyValue(LatticeKeys.bucket(prefix), o.build());
    }

    RawBucket(Connection nc, String prefix) throws IOException {
      this(nc, prefix, null);
    }

    long put(String key, String json) throws IOException, JetStreamApiException {
      return kv.put(key, json.getBytes(StandardCharsets.UTF_8));
    }

    long putLink(LinkDefinition l) throws IOException, JetStreamApiException {
      return kv.put(LatticeKeys.linkdef(l.id()), l.toJson());
    }

    /** Every live key and its value, read fresh from the server. */
    Map<String, KeyValueEntry> contents() throws Exception {
      Map<String, KeyValueEntry> m = new HashMap<>();
      for (String k : kv.keys()) {
        KeyValueEntry e = kv.get(k);
        if (e != null && e.getValue() != null) {
          m.put(k, e);
        }
      }
      return m;
    }

    /** The links the bucket holds (one per triple, newest revision wins), read fresh. */
    Set<LinkDefinition> links() throws Exception {
      Map<List<String>, KeyValueEntry> newest = new HashMap<>();
      Map<List<String>, LinkDefinition> byTriple = new HashMap<>();
      for (KeyValueEntry e : contents().values()) {
        if (!e.getKey().startsWith(LatticeKeys.LINKDEF_PREFIX)) {
          continue;
        }
        LinkDefinition l = LinkDefinition.fromJson(e.getValue());
        List<String> t = List.of(l.actorId(), l.contractId(), l.linkName());
        KeyValueEntry prev = newest.get(t);
        if (prev == null || prev.getRevision() < e.getRevision()) {
          newest.put(t, e);
          byTriple.put(t, l);
        }
      }
      return Set.copyOf(byTriple.values());
    }

    /** Claims subjects in the bucket, read fresh. */
    Set<String> claimSubjects() throws Exception {
      return contents().keySet().stream()
          .filter(k -> k.startsWith(LatticeKeys.CLAIMS_PREFIX))
          .map(k -> k.substring(LatticeKeys.CLAIMS_PREFIX.length()))
          .collect(Collectors.toSet());
    }
  }
}
