package io.trellis.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A fresh cache loads 10,000 link definitions completely before connect returns. */
// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
class BulkLoadTest {
  static final int ACTORS = 1000;
  static final int CONTRACTS = 10;
  static final int PROVIDERS = 50;
  static NatsServer nats;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
  }

  @AfterAll
  static void stop() {
    nats.close();
  }

  /** 1,000 actors × 10 contracts; every third link uses link name "alt". */
  static List<LinkDefinition> links() {
    List<LinkDefinition> all = new ArrayList<>(ACTORS * CONTRACTS);
    for (int a = 0; a < ACTORS; a++) {
      for (int c = 0; c < CONTRACTS; c++) {
        int n = a * CONTRACTS + c;
        all.add(
            Fixtures.link(
                a,
                n % PROVIDERS,
                "bulk:contract" + c,
                n % 3 == 0 ? "alt" : "default",
                Map.of("N", Integer.toString(n))));
      }
    }
    return all;
  }

  /** Publishes every link straight to the bucket's subjects, as fast as JetStream acks them. */
  static void writeRaw(Connection nc, String prefix, List<LinkDefinition> links) throws Exception {
    JetStream js = nc.jetStream();
    String subjectPrefix = "$KV." + LatticeKeys.bucket(prefix) + ".";
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>(links.size());
    for (LinkDefinition l : links) {
      acks.add(js.publishAsync(subjectPrefix + LatticeKeys.linkdef(l.id()), l.toJson()));
      if (acks.size() % 2000 == 0) {
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      }
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
  }

  @Test
  void tenThousandLinksAreLoadedAndIndexedAtConnect() throws Exception {
    String prefix = Fixtures.prefix("bulk");
    List<LinkDefinition> links = links();
    try (Connection writer = nats.connect();
        Connection host = nats.connect()) {
      LatticeCache.connect(writer, Fixtures.options(prefix)).close(); // creates the bucket
      writeRaw(writer, prefix, links);

      long t0 = System.nanoTime();
      try (LatticeCache cache = LatticeCache.connect(host, Fixtures.options(prefix))) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("connect+load of " + links.size() + " links: " + millis + " ms");
        assertEquals(links.size(), cache.links().size());
        assertEquals(new HashSet<>(links), new HashSet<>(cache.links()));

        Map<String, Set<LinkDefinition>> byProviderDefault = new HashMap<>();
        for (LinkDefinition l : links) {
          if (l.linkName().equals("default")) {
            byProviderDefault.computeIfAbsent(l.providerId(), k -> new HashSet<>()).add(l);
          }
        }
        for (int p = 0; p < PROVIDERS; p += 7) {
          String pk = Fixtures.provider(p);
          assertEquals(
              byProviderDefault.get(pk), Set.copyOf(cache.linksForProvider(pk, "default")));
        }
        for (int a = 0; a < ACTORS; a += 97) {
          String actor = Fixtures.actor(a);
          List<LinkDefinition> forActor = cache.linksForActor(actor);
          assertEquals(CONTRACTS, forActor.size());
          assertTrue(forActor.stream().allMatch(l -> l.actorId().equals(actor)));
        }
        for (int i = 0; i < links.size(); i += 331) {
          LinkDefinition l = links.get(i);
          assertEquals(l, cache.linkById(l.id()).orElseThrow());
          assertEquals(l, cache.link(l.actorId(), l.contractId(), l.linkName()).orElseThrow());
        }
        int alt = (int) links.stream().filter(l -> l.linkName().equals("alt")).count();
        assertEquals(
            alt, (int) cache.links().stream().filter(l -> l.linkName().equals("alt")).count());
      }
    }
  }
}
