package io.trellis.provider.httpserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.provider.sdk.ProviderRunner;
import io.trellis.provider.sdk.RunningProvider;
import io.trellis.provider.testkit.FakeActor;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
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

class HttpServerProviderTest {
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
  String actor;

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
    actor = TestLattice.newActorKey();
    provider = new HttpServerProvider();
    running = ProviderRunner.start(provider, lattice.hostData(pk, List.of()));
  }

  @AfterEach
  void stop() {
    running.close();
    lattice.close();
  }

  /** Links the actor with these values (plus ADDRESS on an ephemeral loopback port) and waits. */
  int link(Map<String, String> values) {
    Map<String, String> v = new HashMap<>(values);
    v.putIfAbsent("ADDRESS", "127.0.0.1:0");
    LinkDefinition l = TestLattice.link(actor, pk, Contracts.HTTP_SERVER, v);
    lattice.putLink(l);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                provider.boundAddress(actor).isPresent()
                    && (v.get("ADDRESS").endsWith(":0")
                        || provider.boundAddress(actor).get().getPort()
                            == Integer.parseInt(
                                v.get("ADDRESS")
                                    .substring(v.get("ADDRESS").lastIndexOf(':') + 1))));
    return provider.boundAddress(actor).orElseThrow().getPort();
  }

  static java.net.http.HttpResponse<String> send(java.net.http.HttpRequest r) throws Exception {
    return HTTP.send(r, java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  static java.net.http.HttpRequest.Builder req(int port, String pathAndQuery) {
    return java.net.http.HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
  }

  FakeActor echoActor() {
    return lattice.actor(
        actor,
        (inv, payload) -> {
          HttpRequest r = HttpRequest.fromMsgPack(payload);
          String text =
              r.method()
                  + " "
                  + r.path()
                  + "?"
                  + r.queryString()
                  + " x-test="
                  + r.header().get("x-test")
                  + " body="
                  + new String(r.body(), StandardCharsets.UTF_8);
          return FakeActor.ok(
              new HttpResponse(
                      201,
                      Map.of("x-actor", List.of("yes"), "content-type", List.of("text/plain")),
                      text.getBytes(StandardCharsets.UTF_8))
                  .toMsgPack());
        });
  }

  @Test
  void requestsReachTheActorAndItsResponseIsWrittenBack() throws Exception {
    try (FakeActor fake = echoActor()) {
      int port = link(Map.of());
      var r =
          send(
              req(port, "/items/42?a=1&b=x%20y")
                  .header("X-Test", "one")
                  .method("post", java.net.http.HttpRequest.BodyPublishers.ofString("payload"))
                  .build());
      assertEquals(201, r.statusCode(), r.body());
      assertEquals("POST /items/42?a=1&b=x%20y x-test=[one] body=payload", r.body());
      assertEquals("yes", r.headers().firstValue("x-actor").orElseThrow());
      assertEquals(List.of(), fake.rejected(), "the provider signs as a host expects");
      assertEquals(HttpRequest.OPERATION, fake.received().get(0).invocation().operation());
      assertEquals(
          Contracts.HTTP_SERVER, fake.received().get(0).invocation().origin().contractId());
    }
  }

  @Test
  void tooLargeBodiesGet413() throws Exception {
    try (FakeActor fake = echoActor()) {
      int port = link(Map.of("max_content_len", "1k"));
      var big =
          send(
              req(port, "/")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(1025)))
                  .build());
      assertEquals(413, big.statusCode());
      assertTrue(big.body().contains("max_content_len"), big.body());
      var ok =
          send(
              req(port, "/")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(1024)))
                  .build());
      assertEquals(201, ok.statusCode());
      assertEquals(1, fake.received().size(), "the oversized request never reached the actor");
    }
  }

  @Test
  void aSilentActorGives504AndNoActorGives503() throws Exception {
    int port = link(Map.of("timeout_ms", "300"));
    var none = send(req(port, "/").build());
    assertEquals(503, none.statusCode());
    assertTrue(none.body().contains("no responders"), none.body());
    try (FakeActor fake = lattice.actor(actor, (inv, payload) -> FakeActor.silent())) {
      long t0 = System.nanoTime();
      var slow = send(req(port, "/").build());
      assertEquals(504, slow.statusCode());
      assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 5000);
    }
  }

  @Test
  void anErrorAnswerGives500WithTheReason() throws Exception {
    String denial =
        "Invocation source does not have the required capability claim wasmcloud:httpserver";
    try (FakeActor fake = lattice.actor(actor, (inv, payload) -> FakeActor.fail(denial))) {
      int port = link(Map.of());
      var r = send(req(port, "/").build());
      assertEquals(500, r.statusCode());
      assertTrue(r.body().contains(denial), r.body());
    }
  }

  @Test
  void corsPreflightAndOriginsFollowTheLinkValues() throws Exception {
    try (FakeActor fake = echoActor()) {
      int port =
          link(
              Map.of(
                  "allowed_origins",
                  "https://app.example.com",
                  "allowed_headers",
                  "content-type,x-test",
                  "exposed_headers",
                  "x-actor",
                  "max_age_secs",
                  "60"));
      var pre =
          send(
              req(port, "/")
                  .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example.com")
                  .header("Access-Control-Request-Method", "PUT")
                  .header("Access-Control-Request-Headers", "X-Test")
                  .build());
      assertEquals(200, pre.statusCode());
      assertEquals(
          "https://app.example.com",
          pre.headers().firstValue("access-control-allow-origin").orElseThrow());
      assertTrue(
          pre.headers().firstValue("access-control-allow-methods").orElseThrow().contains("PUT"));
      assertEquals("60", pre.headers().firstValue("access-control-max-age").orElseThrow());
      assertEquals(0, fake.received().size(), "preflights are answered by the provider");

      var badMethod =
          send(
              req(port, "/")
                  .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example.com")
                  .header("Access-Control-Request-Method", "PATCH")
                  .build());
      assertEquals(403, badMethod.statusCode());
      assertEquals(
          "CORS request forbidden: requested method not allowed: 'PATCH'",
          badMethod.body().strip());
      var badHeader =
          send(
              req(port, "/")
                  .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example.com")
                  .header("Access-Control-Request-Method", "PUT")
                  .header("Access-Control-Request-Headers", "content-type, X-Secret")
                  .build());
      assertEquals(403, badHeader.statusCode());
      assertEquals(
          "CORS request forbidden: header not allowed: 'X-Secret'", badHeader.body().strip());
      var badOriginPreflight =
          send(
              req(port, "/")
                  .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://evil.example.com")
                  .header("Access-Control-Request-Method", "GET")
                  .build());
      assertEquals(403, badOriginPreflight.statusCode());
      assertEquals(
          "CORS request forbidden: origin not allowed: 'https://evil.example.com'",
          badOriginPreflight.body().strip());
      var badOrigin = send(req(port, "/").header("Origin", "https://evil.example.com").build());
      assertEquals(403, badOrigin.statusCode());
      assertEquals(
          "CORS request forbidden: origin not allowed: 'https://evil.example.com'",
          badOrigin.body().strip());
      assertEquals(0, fake.received().size(), "refused requests never reach the actor");

      var actual = send(req(port, "/x").header("Origin", "https://app.example.com").build());
      assertEquals(201, actual.statusCode());
      assertEquals(
          "https://app.example.com",
          actual.headers().firstValue("access-control-allow-origin").orElseThrow());
      assertEquals(
          "x-actor", actual.headers().firstValue("access-control-expose-headers").orElseThrow());
    }
  }

  @Test
  void removingTheLinkClosesThePortAndChangedValuesRebind() throws Exception {
    try (FakeActor fake = echoActor()) {
      int first = link(Map.of());
      assertEquals(201, send(req(first, "/").build()).statusCode());
      int second = FreePorts.allocate();
      int bound = link(Map.of("ADDRESS", "127.0.0.1:" + second));
      assertEquals(second, bound);
      assertEquals(201, send(req(second, "/").build()).statusCode());
      assertThrows(
          ConnectException.class, () -> send(req(first, "/").build()), "the old port is closed");

      lattice.deleteLink(TestLattice.link(actor, pk, Contracts.HTTP_SERVER, Map.of()));
      await().atMost(Duration.ofSeconds(5)).until(() -> provider.boundAddress(actor).isEmpty());
      assertThrows(IOException.class, () -> send(req(second, "/").build()));
      assertEquals(2, fake.received().size(), "nothing reached the actor after the unlink");
    }
  }

  @Test
  void settingsReadWasmCloudNamesAndJson() {
    ServerSettings s =
        ServerSettings.from(
            Map.of(
                "config_json",
                "{\"address\":\"0.0.0.0:9000\",\"cors\":{\"allowed_methods\":[\"GET\"]},\"timeout_ms\":1500}",
                "MAX_CONTENT_LEN",
                "2m"));
    assertEquals("0.0.0.0:9000", s.addressText());
    assertEquals(List.of("GET"), s.cors().allowedMethods());
    assertEquals(1500, s.timeout().toMillis());
    assertEquals(2L * 1024 * 1024, s.maxContentLength());
    ServerSettings port = ServerSettings.from(Map.of("PORT", "8081"));
    assertEquals(
        "127.0.0.1:8081", port.addressText(), "a bare port binds loopback, as httpserver-rs");
    ServerSettings d = ServerSettings.from(Map.of());
    assertEquals(ServerSettings.DEFAULT_ADDRESS, d.addressText());
    assertEquals(ServerSettings.DEFAULT_MAX_CONTENT_LENGTH, d.maxContentLength());
    assertThrows(
        io.trellis.provider.sdk.InvalidLinkValueException.class,
        () -> ServerSettings.from(Map.of("address", "nowhere")));
    assertThrows(
        io.trellis.provider.sdk.InvalidLinkValueException.class,
        () -> ServerSettings.from(Map.of("allowed_origins", "example.com")));
  }

  @Test
  void configJsonNumbersMustBeIntegers() {
    assertEquals(
        "config_json timeout_ms='abc' is not an integer",
        settingsError("{\"timeout_ms\":\"abc\"}"));
    assertEquals(
        "config_json timeout_ms='1.5' is not an integer", settingsError("{\"timeout_ms\":1.5}"));
    assertEquals(
        "config_json timeout_ms='0' must be at least 1 (milliseconds)",
        settingsError("{\"timeout_ms\":0}"));
    assertEquals(
        "config_json max_age_secs='soon' is not an integer",
        settingsError("{\"cors\":{\"max_age_secs\":\"soon\"}}"));
    assertEquals(
        "config_json max_content_len='lots' is not a size (bytes, or a number with k, m or g)",
        settingsError("{\"max_content_len\":\"lots\"}"));
    ServerSettings ok =
        ServerSettings.from(
            Map.of(
                "config_json",
                "{\"timeout_ms\":250,\"max_content_len\":2048,\"cors\":{\"max_age_secs\":7}}"));
    assertEquals(250, ok.timeout().toMillis());
    assertEquals(2048, ok.maxContentLength());
    assertEquals(7, ok.cors().maxAgeSecs());
  }

  @Test
  void configJsonComesBeforeConfigB64AndFlatKeysOverrideBoth() {
    String b64 =
        java.util.Base64.getEncoder()
            .withoutPadding()
            .encodeToString("{\"address\":\"127.0.0.1:9002\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals("127.0.0.1:9002", ServerSettings.from(Map.of("config_b64", b64)).addressText());
    assertEquals(
        "127.0.0.1:9001",
        ServerSettings.from(
                Map.of("config_b64", b64, "config_json", "{\"address\":\"127.0.0.1:9001\"}"))
            .addressText());
    assertEquals(
        "127.0.0.1:9003",
        ServerSettings.from(Map.of("config_b64", b64, "address", "127.0.0.1:9003")).addressText());
  }

  static String settingsError(String configJson) {
    return assertThrows(
            io.trellis.provider.sdk.InvalidLinkValueException.class,
            () -> ServerSettings.from(Map.of("config_json", configJson)))
        .getMessage();
  }
}
