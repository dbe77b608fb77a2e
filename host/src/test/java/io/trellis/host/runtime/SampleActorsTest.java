package io.trellis.host.runtime;

import static io.trellis.wasmbus.SpecVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpClientRequest;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.interfaces.KeyValue;
import io.trellis.wasmbus.interfaces.Messaging;
import io.trellis.wasmbus.msgpack.MsgPackValues;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every sample actor, with realistic payloads; host calls captured and answered by the test. */
class SampleActorsTest {
  static final RecordingRouter ROUTER = new RecordingRouter(c -> HostCallResult.err("unanswered"));
  static final ActorRuntime RT = new ActorRuntime(RuntimeOptions.defaults(), ROUTER);

  @AfterAll
  static void close() {
    RT.close();
  }

  static Actor start(String name) {
    return RT.start(RT.load(Fixtures.dist(name)), 1, Map.of());
  }

  static HttpResponse http(Actor a, String method, String path, String query, String body) {
    HttpRequest req =
        new HttpRequest(
            method,
            path,
            query,
            Map.of("host", List.of("localhost")),
            body.getBytes(StandardCharsets.UTF_8));
    InvocationResult r = a.invoke(HttpRequest.OPERATION, req.toMsgPack());
    return HttpResponse.fromMsgPack(
        assertInstanceOf(InvocationResult.Success.class, r, r.toString()).payload());
  }

  static String body(HttpResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Re-signs a committed actor with other caps (same code, fresh module key). */
  static byte[] resign(String name, String... caps) {
    byte[] m = Fixtures.dist(name);
    ActorMetadata meta =
        new ActorMetadata(name, null, List.of(), List.of(caps), 1, "0.1.0", null, false);
    return ModuleClaims.sign(
        m,
        meta,
        Fixtures.ACCOUNT,
        KeyPair.generate(KeyType.MODULE),
        Instant.now().getEpochSecond(),
        "resigned",
        null,
        null);
  }

  @Test
  void echoAnswersTheOtpRequestWithTheExactOtpResponse() {
    Actor echo = start("echo");
    InvocationResult r = echo.invoke(HttpRequest.OPERATION, hex(SpecVectors.ECHO_REQUEST_HEX));
    assertEquals(
        SpecVectors.ECHO_RESPONSE_HEX,
        HexFormat.of().formatHex(assertInstanceOf(InvocationResult.Success.class, r).payload()));
    HttpResponse post = http(echo, "POST", "/foo/bar", "a=1&b=two", "hello");
    assertEquals(200, post.statusCode());
    assertEquals(
        "{\"body\":[104,101,108,108,111],\"method\":\"POST\",\"path\":\"/foo/bar\",\"query_string\":\"a=1&b=two\"}",
        body(post));
  }

  @Test
  void unknownMethodsAndBadPayloadsAreGuestErrors() {
    Actor echo = start("echo");
    var f =
        assertInstanceOf(
            InvocationResult.Failure.class,
            echo.invoke("HttpServer.Nope", new byte[] {(byte) 0x80}));
    assertEquals(InvocationResult.Kind.GUEST_ERROR, f.kind());
    assertTrue(f.message().contains("method not handled"), f.message());
    var bad =
        assertInstanceOf(
            InvocationResult.Failure.class, echo.invoke(HttpRequest.OPERATION, new byte[] {1}));
    assertTrue(bad.message().contains("deserialization"), bad.message());
  }

  @Test
  void kvcounterIncrementsThroughTheKeyValueContract() {
    Actor kv = start("kvcounter");
    ROUTER.answer(c -> HostCallResult.ok(hex("2a")));
    HttpResponse r = http(kv, "GET", "/foo/bar", "amount=3", "");
    assertEquals(200, r.statusCode());
    assertEquals("{\"counter\":42}", body(r));
    HostCall c = ROUTER.calls.getLast();
    assertEquals("default", c.binding());
    assertEquals(Contracts.KEY_VALUE, c.namespace());
    assertEquals(KeyValue.INCREMENT, c.operation());
    assertArrayEquals(hex(SpecVectors.INCREMENT_MSG_HEX), c.payload());
    ROUTER.answer(x -> HostCallResult.err("boom"));
    HttpResponse failed = http(kv, "GET", "/foo/bar", "", "");
    assertEquals(500, failed.statusCode());
    assertEquals("{\"error\":\"Host send error boom\"}", body(failed));
  }

  @Test
  void kvcounterWithoutTheKeyValueClaimIsDenied() {
    Actor kv = RT.start(RT.load(resign("kvcounter", Contracts.HTTP_SERVER)), 1, Map.of());
    int before = ROUTER.calls.size();
    HttpResponse r = http(kv, "GET", "/x", "", "");
    assertEquals(500, r.statusCode());
    assertTrue(body(r).contains("missing capability claim for wasmcloud:keyvalue"), body(r));
    assertEquals(before, ROUTER.calls.size());
  }

  @Test
  void pingerReachesPongerByCallAlias() {
    Actor ponger = start("ponger");
    assertEquals("wasmcloud/ponger", ponger.module().callAlias());
    Actor pinger = start("pinger");
    ROUTER.answer(
        c -> {
          if (c.binding().isEmpty() && c.namespace().equals(ponger.module().callAlias())) {
            InvocationResult r = ponger.invoke(c.operation(), c.payload());
            return r instanceof InvocationResult.Success s
                ? HostCallResult.ok(s.payload())
                : HostCallResult.err(((InvocationResult.Failure) r).message());
          }
          return HostCallResult.err("Call alias not found: " + c.namespace());
        });
    InvocationResult r = pinger.invoke(HttpRequest.OPERATION, hex(SpecVectors.ECHO_REQUEST_HEX));
    assertEquals(
        SpecVectors.PINGER_RESPONSE_HEX,
        HexFormat.of().formatHex(assertInstanceOf(InvocationResult.Success.class, r).payload()));
    assertEquals("Pingpong.Ping", ROUTER.calls.getLast().operation());
    assertEquals(0, ROUTER.calls.getLast().payload().length);
    assertEquals(
        "pong",
        MsgPackValues.string(
            ((InvocationResult.Success) ponger.invoke("Pingpong.Ping", new byte[0])).payload(),
            "x"));
  }

  @Test
  void fetchUsesTheHttpClientContract() {
    Actor fetch = start("fetch");
    ROUTER.answer(
        c -> HostCallResult.ok(new HttpResponse(201, Map.of(), "hello".getBytes()).toMsgPack()));
    HttpResponse r = http(fetch, "GET", "/", "url=http%3A%2F%2F127.0.0.1%3A9%2Fx", "");
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":201,\"length\":5}", body(r));
    HostCall c = ROUTER.calls.getLast();
    assertEquals(Contracts.HTTP_CLIENT, c.namespace());
    HttpClientRequest req = HttpClientRequest.fromMsgPack(c.payload());
    assertEquals("GET", req.method());
    assertEquals("http://127.0.0.1:9/x", req.url());
    assertEquals(400, http(fetch, "GET", "/", "", "").statusCode());
  }

  @Test
  void loggerUsesTheBuiltinsWithoutTheRouter() {
    Actor logger = start("logger");
    int before = ROUTER.calls.size();
    HttpResponse r = http(logger, "GET", "/", "", "");
    assertEquals(200, r.statusCode(), body(r));
    assertTrue(
        body(r)
            .matches(
                "\\{\"guid\":\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\",\"random32\":\\d+,\"in_range\":(\\d|[1-9]\\d|100)\\}"),
        body(r));
    assertEquals(before, ROUTER.calls.size(), "builtins never reach the lattice router");
  }

  @Test
  void builtinCapabilityCheckIsEnforcedByDefaultAndConfigurable() {
    byte[] noBuiltins = resign("logger", Contracts.HTTP_SERVER);
    HttpResponse denied = http(RT.start(RT.load(noBuiltins), 1, Map.of()), "GET", "/", "", "");
    assertEquals(500, denied.statusCode());
    assertTrue(
        body(denied).contains("missing capability claim for wasmcloud:builtin:logging"),
        body(denied));
    try (ActorRuntime lenient =
        new ActorRuntime(RuntimeOptions.defaults().withEnforceBuiltinCapabilities(false), ROUTER)) {
      HttpResponse ok =
          http(lenient.start(lenient.load(noBuiltins), 1, Map.of()), "GET", "/", "", "");
      assertEquals(200, ok.statusCode(), body(ok));
    }
  }

  @Test
  void subscriberRepliesThroughMessaging() {
    Actor sub = start("subscriber");
    ROUTER.answer(c -> HostCallResult.ok(new byte[0]));
    int before = ROUTER.calls.size();
    InvocationResult r =
        sub.invoke(
            Messaging.HANDLE_MESSAGE,
            new Messaging.Message("orders.new", "_INBOX.abc", "hi".getBytes()).toMsgPack());
    assertEquals(0, assertInstanceOf(InvocationResult.Success.class, r).payload().length);
    HostCall c = ROUTER.calls.getLast();
    assertEquals(Messaging.PUBLISH, c.operation());
    Messaging.Message pub = Messaging.Message.fromMsgPack(c.payload());
    assertEquals("_INBOX.abc", pub.subject());
    assertEquals("reply: hi", new String(pub.body()));
    assertEquals(before + 1, ROUTER.calls.size());
    sub.invoke(
        Messaging.HANDLE_MESSAGE,
        new Messaging.Message("orders.new", null, "x".getBytes()).toMsgPack());
    assertEquals(before + 1, ROUTER.calls.size(), "no reply subject, no publish");
  }

  @Test
  void hasherIteratesSha256() throws Exception {
    Actor hasher = start("hasher");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] h = sha.digest("abc".getBytes());
    for (int i = 1; i < 5; i++) {
      h = sha.digest(h);
    }
    assertEquals(HexFormat.of().formatHex(h), body(http(hasher, "POST", "/", "n=5", "abc")));
  }

  @Test
  void echoUnprivilegedRunsWhenCalledDirectly() {
    // Refusing httpserver traffic to it is the lattice host's job (inbound caps check), not the
    // runtime's.
    assertEquals(200, http(start("echo_unprivileged"), "GET", "/", "", "").statusCode());
  }
}
