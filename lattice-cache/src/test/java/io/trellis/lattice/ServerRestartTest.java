package io.trellis.lattice;

import static io.trellis.lattice.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * nats-server restarts (graceful and crash) with file storage: the same cache objects end up equal
 * to the bucket, with nothing lost and nothing phantom.
 */
// jnats Connection.close() throws InterruptedException; try-with-resources is still right here
@SuppressWarnings("try")
class ServerRestartTest {
  static NatsServer nats;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
  }

  @AfterAll
  static void stop() {
    nats.close();
  }

  /** Retries one write until the server takes it (the writer is a tool, not a cache). */
  private static void eventually(ThrowingRunnable op) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(
            () -> {
              op.run();
              return true;
            });
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void viewsEqualTheBucketAfterRestartsWhileAnotherConnectionKeepsWriting() throws Exception {
    String prefix = Fixtures.prefix("restart");
    try (Connection ncA = nats.connect();
        Connection ncB = nats.connect();
        Connection ncW = nats.connect();
        LatticeCache a = LatticeCache.connect(ncA, Fixtures.options(prefix));
        LatticeCache b = LatticeCache.connect(ncB, Fixtures.options(prefix))) {
      Fixtures.RawBucket raw = new Fixtures.RawBucket(ncW, prefix);
      AtomicInteger progress = new AtomicInteger();
      AtomicBoolean enough = new AtomicBoolean();
      // writes links (purging every fourth one's predecessor-but-one) and some claims until told
      // to stop; each op is retried until the server takes it
      CompletableFuture<Integer> writer =
          CompletableFuture.supplyAsync(
              () -> {
                int i = 0;
                for (; i < 5000 && !(enough.get() && i % 4 == 0); i++) {
                  int n = i;
                  LinkDefinition l =
                      Fixtures.link(n, n % 7, "restart:c", "default", Map.of("I", "" + n));
                  eventually(() -> raw.putLink(l));
                  if (n % 4 == 3) {
                    LinkDefinition old =
                        Fixtures.link(n - 2, (n - 2) % 7, "restart:c", "default", Map.of());
                    eventually(() -> raw.kv.purge(LatticeKeys.linkdef(old.id())));
                  }
                  if (n % 10 == 0) {
                    String pk = Fixtures.actor(n);
                    eventually(
                        () ->
                            raw.kv.put(
                                LatticeKeys.claims(pk), Fixtures.actorClaims(pk, "").toJson()));
                  }
                  progress.set(n + 1);
                }
                return i;
              });
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> progress.get() >= 60);
      nats.restart(); // graceful, in the middle of the writes
      int afterRestart = progress.get();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> progress.get() >= afterRestart + 60);
      nats.kill(); // crash, in the middle of the writes
      nats.restart();
      int afterCrash = progress.get();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> progress.get() >= afterCrash + 60);
      enough.set(true);
      int written = writer.get(60, TimeUnit.SECONDS);

      Set<LinkDefinition> expected = raw.links();
      assertEquals(
          written - written / 4, expected.size(), written + " puts minus every fourth purged");
      Set<String> claims = raw.claimSubjects();
      assertEquals((written + 9) / 10, claims.size());
      for (LatticeCache c : new LatticeCache[] {a, b}) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    new HashSet<>(c.links()).equals(expected)
                        && c.allClaims().stream()
                            .map(x -> x.subject())
                            .collect(java.util.stream.Collectors.toSet())
                            .equals(claims));
        assertEquals(expected.size(), c.links().size(), "no duplicate or phantom links");
        await().until(c::isStoreReachable);
      }
      // both still work as caches after all this
      LinkDefinition after = Fixtures.link(999, 1, "restart:c", "default", Map.of());
      a.putLink(after);
      await().until(() -> b.linkById(after.id()).isPresent());
    }
  }

  @Test
  void writesFailClearlyWhileTheServerIsDownAndReadsServeTheLastView() throws Exception {
    String prefix = Fixtures.prefix("down");
    try (Connection ncA = nats.connect();
        Connection ncB = nats.connect();
        LatticeCache a = LatticeCache.connect(ncA, Fixtures.options(prefix));
        LatticeCache b = LatticeCache.connect(ncB, Fixtures.options(prefix))) {
      LinkDefinition l = Fixtures.link(1, 1, "down:c", "default", Map.of());
      a.putLink(l);
      assertTrue(a.isStoreReachable());

      nats.stop();
      await().until(() -> ncA.getStatus() != Connection.Status.CONNECTED);
      LinkDefinition l2 = Fixtures.link(2, 1, "down:c", "default", Map.of());
      LatticeStoreUnavailableException e =
          assertThrows(LatticeStoreUnavailableException.class, () -> a.putLink(l2));
      assertTrue(e.getMessage().contains("LATTICEDATA_" + prefix), e.getMessage());
      assertTrue(e.getMessage().contains(LatticeKeys.linkdef(l2.id())), e.getMessage());
      assertTrue(e.getMessage().contains("NATS connection is"), e.getMessage());
      assertThrows(
          LatticeStoreUnavailableException.class,
          () -> a.deleteLink(l.actorId(), "down:c", "default"));
      assertThrows(
          LatticeStoreUnavailableException.class,
          () -> a.putClaims(Fixtures.actorClaims(Fixtures.actor(3), "")));
      assertFalse(a.isStoreReachable());
      assertEquals(
          Optional.of(l), a.link(l.actorId(), "down:c", "default"), "reads serve the last view");
      assertEquals(1, a.links().size());

      nats.restart();
      await().atMost(Duration.ofSeconds(20)).until(a::isStoreReachable);
      assertEquals(Optional.of(l), a.link(l.actorId(), "down:c", "default"), "nothing was dropped");
      assertEquals(Optional.empty(), a.linkById(l2.id()), "the failed write was not queued");
      a.putLink(l2);
      await().until(() -> b.linkById(l2.id()).isPresent());
      assertEquals(2, b.links().size());
    }
  }
}
