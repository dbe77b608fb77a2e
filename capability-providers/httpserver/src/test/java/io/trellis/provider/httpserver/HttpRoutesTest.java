package io.trellis.provider.httpserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.provider.sdk.ProviderRunner;
import io.trellis.provider.sdk.RunningProvider;
import io.trellis.provider.testkit.FakeActor;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several actors behind one listener, chosen by route (PROTOCOL.md §18). */
class HttpRoutesTest {
  static NatsServer nats;
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  TestLattice lattice;
  HttpServerProvider provider;
  RunningProvider running;
  String pk;
  int port;
  final String pages = TestLattice.newActorKey();
  final String tables = TestLattice.newActorKey();
  final String page = TestLattice.newActorKey();

  @BeforeAll
  static void up() {
    nats = NatsServer.start();
  }

  @AfterAll
  static void down() {
    nats.close();
  }

  @BeforeEach
  void start() {
    lattice = TestLattice.on(nats);
    pk = TestLattice.newProviderKey();
    provider = new HttpServerProvider();
    running = ProviderRunner.start(provider, lattice.hostData(pk, List.of()));
    port = FreePorts.allocate();
  }

  @AfterEach
  void stop() {
    running.close();
    lattice.close();
  }

  LinkDefinition link(String actor, Map<String, String> values) {
    Map<String, String> v = new HashMap<>(values);
    v.putIfAbsent("address", "127.0.0.1:" + port);
    return TestLattice.link(actor, pk, Contracts.HTTP_SERVER, v);
  }

  /** Puts the link as a Trellis host does and returns the provider's answer. */
  Ack put(String actor, Map<String, String> values) {
    return lattice.putLinkForAnswer(link(actor, values));
  }

  Ack put(String actor, String path) {
    return put(actor, Map.of("path", path));
  }

  /** A fake actor that answers with its name and the path it received. */
  FakeActor named(String actor, String name) {
    return lattice.actor(
        actor,
        (inv, payload) -> {
          HttpRequest r = HttpRequest.fromMsgPack(payload);
          String text = name + " " + r.method() + " " + r.path() + "?" + r.queryString();
          return FakeActor.ok(
              new HttpResponse(200, Map.of(), text.getBytes(StandardCharsets.UTF_8)).toMsgPack());
        });
  }

  java.net.http.HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .build(),
        BodyHandlers.ofString());
  }

  String body(String pathAndQuery) throws Exception {
    var r = get(pathAndQuery);
    return r.statusCode() + " " + r.body().strip();
  }

  @Test
  void twoActorsShareOneAddressByRouteAndEachGetsTheFullPath() throws Exception {
    try (FakeActor a = named(pages, "pages");
        FakeActor b = named(tables, "tables");
        FakeActor c = named(page, "page")) {
      assertEquals(Ack.ok(), put(pages, "/v1/pages/*"));
      assertEquals(Ack.ok(), put(tables, "/v1/tables/*"));
      // a route with a parameter is more specific than the prefix route it overlaps
      assertEquals(Ack.ok(), put(page, "/v1/pages/:id"));
      assertEquals(
          provider.boundAddress(pages), provider.boundAddress(tables), "one listener for both");

      assertEquals("200 pages GET /v1/pages?", body("/v1/pages"));
      assertEquals("200 page GET /v1/pages/42?x=1", body("/v1/pages/42?x=1"));
      assertEquals("200 pages GET /v1/pages/42/history?", body("/v1/pages/42/history"));
      assertEquals("200 tables GET /v1/tables/7/rows?", body("/v1/tables/7/rows"));
      // the route sees the path with dot segments resolved; the actor gets it as sent
      assertEquals("200 tables GET /v1/pages/../tables/1?", body("/v1/pages/../tables/1"));
      assertEquals(List.of(), a.rejected());
      assertEquals(2, a.received().size());
      assertEquals(2, b.received().size());
      assertEquals(1, c.received().size());
    }
  }

  @Test
  void anUnmatchedPathGets404AndReachesNoActor() throws Exception {
    try (FakeActor a = named(pages, "pages")) {
      assertEquals(Ack.ok(), put(pages, "/v1/pages/*"));
      var r = get("/v2/nothing?q=1");
      assertEquals(404, r.statusCode());
      assertEquals("Not Found: no route for /v2/nothing", r.body().strip());
      assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type").get());
      assertEquals(0, a.received().size());
      assertEquals("200 pages GET /v1/pages/1?", body("/v1/pages/1"), "positive control");
    }
  }

  @Test
  void conflictingRoutesAreRefusedNamingBothLinksAndTheFirstKeepsServing() throws Exception {
    try (FakeActor a = named(pages, "pages");
        FakeActor b = named(tables, "tables")) {
      assertEquals(Ack.ok(), put(pages, "/v1/pages/:id"));
      Ack refused = put(tables, "/v1/pages/:pageId");
      assertFalse(refused.accepted());
      assertEquals(
          "The link of actor "
              + tables
              + " (path /v1/pages/:pageId) conflicts with the link of actor "
              + pages
              + " (path /v1/pages/:id) on 127.0.0.1:"
              + port
              + ": both routes match the same paths; change one of the paths",
          refused.error());
      assertTrue(provider.boundAddress(tables).isEmpty(), "the refused link is not applied");

      // a link without a path cannot join routes, nor can a route join a whole-address link
      Ack whole = put(tables, Map.of());
      assertFalse(whole.accepted());
      assertTrue(
          whole.error().contains("has no path, so it needs 127.0.0.1:" + port), whole.error());
      assertTrue(whole.error().contains(pages), whole.error());
      assertEquals("200 pages GET /v1/pages/1?", body("/v1/pages/1"));
      assertEquals(0, b.received().size());

      int other = FreePorts.allocate();
      assertEquals(Ack.ok(), put(tables, Map.of("address", "127.0.0.1:" + other)));
      Ack routed = put(page, Map.of("address", "127.0.0.1:" + other, "path", "/x"));
      assertTrue(routed.error().contains("which has no path"), routed.error());
      assertTrue(routed.error().contains(tables), routed.error());
    }
  }

  @Test
  void removingALinkRemovesOnlyItsRouteAndTheLastClosesTheListener() throws Exception {
    try (FakeActor a = named(pages, "pages");
        FakeActor b = named(tables, "tables")) {
      assertEquals(Ack.ok(), put(pages, "/v1/pages/*"));
      assertEquals(Ack.ok(), put(tables, "/v1/tables/*"));
      assertEquals("200 tables GET /v1/tables?", body("/v1/tables"));

      lattice.deleteLink(link(tables, Map.of()));
      await().atMost(Duration.ofSeconds(5)).until(() -> provider.boundAddress(tables).isEmpty());
      assertEquals(404, get("/v1/tables").statusCode());
      assertEquals("200 pages GET /v1/pages?", body("/v1/pages"), "the other route stays");
      // the freed route can be taken again, by another actor
      assertEquals(Ack.ok(), put(page, "/v1/tables/*"));
      assertTrue(body("/v1/tables/1").startsWith("503 "), "no actor answers for it here");

      lattice.deleteLink(link(pages, Map.of()));
      lattice.deleteLink(link(page, Map.of()));
      await().atMost(Duration.ofSeconds(5)).until(() -> provider.boundAddress(page).isEmpty());
      assertThrows(IOException.class, () -> get("/v1/pages"), "the last route closed the port");
    }
  }

  @Test
  void eachRouteHasItsOwnBodyLimitTimeoutAndCors() throws Exception {
    try (FakeActor a = named(pages, "pages");
        FakeActor slow = lattice.actor(tables, (inv, payload) -> FakeActor.silent())) {
      assertEquals(
          Ack.ok(),
          put(
              pages,
              Map.of(
                  "path", "/v1/pages/*",
                  "max_content_len", "16",
                  "allowed_origins", "https://pages.example.com")));
      assertEquals(Ack.ok(), put(tables, Map.of("path", "/v1/tables/*", "timeout_ms", "300")));
      var big =
          HTTP.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/pages/1"))
                  .POST(BodyPublishers.ofString("x".repeat(17)))
                  .build(),
              BodyHandlers.ofString());
      assertEquals(413, big.statusCode());
      var cors =
          HTTP.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/pages/1"))
                  .header("Origin", "https://other.example.com")
                  .build(),
              BodyHandlers.ofString());
      assertEquals(403, cors.statusCode(), "the pages route allows one origin only");
      var otherRoute =
          HTTP.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/tables/1"))
                  .header("Origin", "https://other.example.com")
                  .POST(BodyPublishers.ofString("x".repeat(17)))
                  .build(),
              BodyHandlers.ofString());
      assertEquals(504, otherRoute.statusCode(), "tables: any origin, 10 MiB, 300 ms timeout");
      assertEquals(0, a.received().size());
    }
  }

  @Test
  void badRoutesAreRefusedAtLinkTime() {
    Ack bad = put(pages, "/v1/*/pages");
    assertFalse(bad.accepted());
    assertTrue(bad.error().startsWith("link value path='/v1/*/pages'"), bad.error());
    assertTrue(provider.boundAddress(pages).isEmpty());
  }
}
