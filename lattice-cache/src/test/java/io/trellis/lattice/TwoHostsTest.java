package io.trellis.lattice;

import static io.trellis.lattice.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.InvalidLinkDefinitionException;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two simulated hosts, each with its own connection and cache, sharing one lattice. */
class TwoHostsTest {
  static NatsServer nats;
  Connection ncA;
  Connection ncB;
  LatticeCache a;
  LatticeCache b;
  Fixtures.Recorder eventsB = new Fixtures.Recorder();

  @BeforeAll
  static void startServer() {
    nats = NatsServer.start();
  }

  @AfterAll
  static void stopServer() {
    nats.close();
  }

  @BeforeEach
  void connect() {
    String prefix = Fixtures.prefix("two");
    ncA = nats.connect();
    ncB = nats.connect();
    a = LatticeCache.connect(ncA, Fixtures.options(prefix));
    b = LatticeCache.connect(ncB, Fixtures.options(prefix));
    b.addListener(eventsB);
  }

  @AfterEach
  void disconnect() throws Exception {
    a.close();
    b.close();
    ncA.close();
    ncB.close();
  }

  @Test
  void aLinkPutOnOneHostIsVisibleOnTheOtherThroughEveryIndex() {
    LinkDefinition l =
        Fixtures.link(1, 1, "wasmcloud:keyvalue", "default", Map.of("URL", "redis://x"));
    a.putLink(l);
    // read-your-writes on the writer
    assertEquals(Optional.of(l), a.link(l.actorId(), "wasmcloud:keyvalue", "default"));
    await().until(() -> b.link(l.actorId(), "wasmcloud:keyvalue", null).isPresent());
    assertEquals(l, b.link(l.actorId(), "wasmcloud:keyvalue", "").orElseThrow());
    assertEquals(Optional.of(l), b.linkById(l.id()));
    assertEquals(List.of(l), b.linksForActor(l.actorId()));
    assertEquals(List.of(l), b.linksForProvider(l.providerId(), "default"));
    assertEquals(List.of(), b.linksForProvider(l.providerId(), "other"));
    assertEquals(List.of(l), b.links());
    LatticeEvent.LinkPut put = eventsB.awaitOne(LatticeEvent.LinkPut.class, e -> true);
    assertEquals(l, put.link());
    assertNull(put.previous());
  }

  @Test
  void anUpdateCarriesThePreviousValueAndReplacesItInTheIndexes() {
    LinkDefinition v1 =
        Fixtures.link(2, 1, "wasmcloud:httpserver", "default", Map.of("PORT", "8080"));
    LinkDefinition v2 =
        Fixtures.link(2, 2, "wasmcloud:httpserver", "default", Map.of("PORT", "9090"));
    a.putLink(v1);
    eventsB.awaitOne(LatticeEvent.LinkPut.class, e -> e.link().equals(v1));
    a.putLink(v2);
    LatticeEvent.LinkPut update =
        eventsB.awaitOne(LatticeEvent.LinkPut.class, e -> e.link().equals(v2));
    assertEquals(v1, update.previous());
    assertEquals(List.of(), b.linksForProvider(v1.providerId(), "default"));
    assertEquals(List.of(v2), b.linksForProvider(v2.providerId(), "default"));
    assertEquals(List.of(v2), b.linksForActor(v2.actorId()));
  }

  @Test
  void deleteLinkRemovesItEverywhereAndReportsWhatWasRemoved() {
    LinkDefinition l = Fixtures.link(3, 1, "wasmcloud:messaging", "backup", Map.of());
    a.putLink(l);
    await().until(() -> b.linkById(l.id()).isPresent());
    assertEquals(Optional.of(l), b.deleteLink(l.actorId(), "wasmcloud:messaging", "backup"));
    assertEquals(Optional.empty(), b.link(l.actorId(), "wasmcloud:messaging", "backup"));
    await().until(() -> a.links().isEmpty());
    assertEquals(List.of(), a.linksForActor(l.actorId()));
    assertEquals(Optional.empty(), a.linkById(l.id()));
    assertEquals(l, eventsB.awaitOne(LatticeEvent.LinkDeleted.class, e -> true).link());
    assertEquals(Optional.empty(), a.deleteLink(l.actorId(), "wasmcloud:messaging", "backup"));
  }

  @Test
  void claimsAndCallAliasesAreSharedAndTheFirstAliasOwnerWins() {
    String first = Fixtures.actor(10);
    String second = Fixtures.actor(11);
    a.putClaims(Fixtures.actorClaims(first, "counter"));
    await().until(() -> b.claims(first).isPresent());
    b.putClaims(Fixtures.actorClaims(second, "counter"));
    await().until(() -> a.claims(second).isPresent());
    assertEquals(Optional.of(first), a.resolveCallAlias("counter"));
    assertEquals(Optional.of(first), b.resolveCallAlias("counter"));
    assertEquals(
        Set.of(first, second),
        Set.copyOf(b.allClaims().stream().map(ClaimsRecord::subject).toList()));
    ClaimsRecord c =
        eventsB
            .awaitOne(LatticeEvent.ClaimsPut.class, e -> e.claims().subject().equals(first))
            .claims();
    assertEquals("counter", c.callAlias());
    // single-character aliases are never registered
    a.putClaims(Fixtures.actorClaims(Fixtures.actor(12), "x"));
    await().until(() -> b.claims(Fixtures.actor(12)).isPresent());
    assertEquals(Optional.empty(), b.resolveCallAlias("x"));
  }

  @Test
  void refMapsResolveOnTheOtherHost() {
    RefMap r = new RefMap(SpecSamples.ECHO_REF, Fixtures.actor(20));
    a.putRefMap(r);
    await().until(() -> b.resolveRef(SpecSamples.ECHO_REF).isPresent());
    assertEquals(Optional.of(Fixtures.actor(20)), b.resolveRef(SpecSamples.ECHO_REF));
    assertEquals(List.of(r), b.refMaps());
    assertEquals(r, eventsB.awaitOne(LatticeEvent.RefMapPut.class, e -> true).refMap());
  }

  @Test
  void invalidLinksAreRejectedBeforeAnythingIsWritten() {
    LinkDefinition bad =
        LinkDefinition.of("Mbob", Fixtures.provider(1), "default", "wasmcloud:testy", Map.of());
    InvalidLinkDefinitionException e =
        assertThrows(InvalidLinkDefinitionException.class, () -> a.putLink(bad));
    assertTrue(e.getMessage().contains("Mbob"), e.getMessage());
    assertEquals(List.of(), a.links());
  }

  @Test
  void aRemovedListenerHearsNothingMore() throws Exception {
    // registered first: the recorder after it must still hear every event
    a.addListener(
        e -> {
          throw new IllegalStateException("a broken listener must not stop the others");
        });
    Fixtures.Recorder r = new Fixtures.Recorder();
    AutoCloseable reg = a.addListener(r);
    LinkDefinition l1 = Fixtures.link(30, 1, "c:one", "default", Map.of());
    a.putLink(l1);
    r.awaitOne(LatticeEvent.LinkPut.class, e -> e.link().equals(l1));
    reg.close();
    Fixtures.Recorder sentinel = new Fixtures.Recorder();
    a.addListener(sentinel);
    LinkDefinition l2 = Fixtures.link(31, 1, "c:one", "default", Map.of());
    a.putLink(l2);
    // listeners run in order on a's event thread: once the sentinel has l2, r would have it too
    sentinel.awaitOne(LatticeEvent.LinkPut.class, e -> e.link().equals(l2));
    assertEquals(1, r.events.size());
    assertTrue(a.isStoreReachable());
    assertEquals(b.bucketName(), a.bucketName());
    assertTrue(a.bucketName().startsWith("LATTICEDATA_two-"));
  }
}
