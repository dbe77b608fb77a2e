package io.trellis.provider.httpclient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.trellis.provider.sdk.Caller;
import io.trellis.provider.sdk.ProviderRunner;
import io.trellis.provider.sdk.RunningProvider;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpClientRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpClientProviderTest {
  static NatsServer nats;
  static HttpServer web;
  static final CountDownLatch NEVER = new CountDownLatch(1);

  TestLattice lattice;
  HttpClientProvider provider;
  RunningProvider running;
  String pk;
  String actor;

  @BeforeAll
  static void up() throws Exception {
    nats = NatsServer.start();
    web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    web.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    web.createContext(
        "/echo",
        ex -> {
          try (ex) {
            byte[] in = ex.getRequestBody().readAllBytes();
            byte[] out =
                (ex.getRequestMethod()
                        + " x-token="
                        + ex.getRequestHeaders().getFirst("X-Token")
                        + " body="
                        + new String(in, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Served-By", "test");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
          }
        });
    web.createContext(
        "/big",
        ex -> {
          try (ex) {
            ex.sendResponseHeaders(200, 4096);
            ex.getResponseBody().write(new byte[4096]);
          }
        });
    web.createContext(
        "/slow",
        ex -> {
          try (ex) {
            NEVER.await(); // released at teardown
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    web.createContext(
        "/missing",
        ex -> {
          try (ex) {
            ex.sendResponseHeaders(404, -1);
          }
        });
    web.start();
  }

  @AfterAll
  static void down() {
    NEVER.countDown();
    web.stop(0);
    nats.close();
  }

  @BeforeEach
  void start() {
    lattice = TestLattice.on(nats);
    pk = TestLattice.newProviderKey();
    actor = TestLattice.newActorKey();
    LinkDefinition link =
        TestLattice.link(
            actor,
            pk,
            Contracts.HTTP_CLIENT,
            // 3 s: long enough for /big under a loaded CI machine; /slow never answers at all
            Map.of("timeout_ms", "3000", "max_response_bytes", "1k"));
    provider = new HttpClientProvider();
    running = ProviderRunner.start(provider, lattice.hostData(pk, List.of(link)));
  }

  @AfterEach
  void stop() {
    running.close();
    lattice.close();
  }

  String url(String path) {
    return "http://127.0.0.1:" + web.getAddress().getPort() + path;
  }

  InvocationResponse request(
      String method, String path, Map<String, List<String>> headers, String body) {
    return lattice.call(
        actor,
        pk,
        Contracts.HTTP_CLIENT,
        HttpClientRequest.OPERATION,
        new HttpClientRequest(method, url(path), headers, body.getBytes(StandardCharsets.UTF_8))
            .toMsgPack());
  }

  @Test
  void requestsGoOutAndResponsesComeBack() {
    InvocationResponse r =
        request(
            "post", "/echo", Map.of("X-Token", List.of("t1"), "Host", List.of("ignored")), "data");
    assertTrue(r.isSuccess(), r.error());
    HttpResponse resp = HttpResponse.fromMsgPack(r.msg());
    assertEquals(200, resp.statusCode());
    assertArrayEquals("POST x-token=t1 body=data".getBytes(StandardCharsets.UTF_8), resp.body());
    assertEquals(
        List.of("test"), resp.header().get("x-served-by"), "response header names are lower-case");
    InvocationResponse missing = request("GET", "/missing", Map.of(), "");
    assertEquals(
        404,
        HttpResponse.fromMsgPack(missing.msg()).statusCode(),
        "HTTP errors are responses, not failures");
  }

  @Test
  void limitsAndTimeoutsAreNamedInTheError() {
    InvocationResponse big = request("GET", "/big", Map.of(), "");
    assertFalse(big.isSuccess());
    assertTrue(
        big.error().contains("exceeds the limit of 1024 bytes (link value max_response_bytes)"),
        big.error());
    InvocationResponse slow = request("GET", "/slow", Map.of(), "");
    assertTrue(slow.error().contains("no response within 3000 ms"), slow.error());
    InvocationResponse bad =
        lattice.call(
            actor,
            pk,
            Contracts.HTTP_CLIENT,
            HttpClientRequest.OPERATION,
            new HttpClientRequest("GET", "ftp://example.com/x", Map.of(), new byte[0]).toMsgPack());
    assertTrue(bad.error().contains("only http and https"), bad.error());
  }

  @Test
  void aCallerWithoutAppliedSettingsIsRefusedNotGivenDefaults() {
    // The SDK lets only linked actors through, so this happens when the link goes away mid-call;
    // calling handle directly is the only way to get the timing exactly.
    String gone = TestLattice.newActorKey();
    Caller caller =
        new Caller(
            TestLattice.link(gone, pk, Contracts.HTTP_CLIENT, Map.of()),
            "inv-1",
            WasmCloudEntity.actor(gone));
    byte[] get = new HttpClientRequest("GET", url("/echo"), Map.of(), new byte[0]).toMsgPack();
    LatticeException e =
        assertThrows(
            LatticeException.class,
            () -> provider.handle(HttpClientRequest.OPERATION, get, caller));
    assertEquals(
        "actor " + gone + " has no HTTP client settings (link not applied)", e.getMessage());
  }
}
