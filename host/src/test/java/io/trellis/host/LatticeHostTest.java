package io.trellis.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.ObjectStore;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.nkeys.Ed25519Engine;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several hosts, large payloads, server restarts, metrics and graceful stop, on real NATS. */
class LatticeHostTest {
  @TempDir Path dir;
  final KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);

  static double invocations(Host h) {
    return h.meterRegistry().find("trellis.actor.invocations").timers().stream()
        .mapToDouble(t -> t.count())
        .sum();
  }

  static byte[] request(String path, byte[] body) {
    return new HttpRequest("POST", path, "", Map.of(), body).toMsgPack();
  }

  /**
   * The echo body is a JSON array of the request's bytes ({@code [97,98,...]}). Walks it once
   * without splitting it into five million strings, comparing every number with its byte.
   */
  static void assertBodyArrayEchoes(String json, byte[] expected) {
    int i = json.indexOf('[') + 1;
    int end = json.indexOf(']', i);
    int n = 0;
    while (i < end) {
      int value = 0;
      int start = i;
      while (i < end && json.charAt(i) != ',') {
        value = value * 10 + (json.charAt(i++) - '0');
      }
      assertTrue(i > start, "empty element at index " + n);
      if (n >= expected.length || value != (expected[n] & 0xff)) {
        assertEquals(
            n < expected.length ? expected[n] & 0xff : -1, value, "body element " + n + " differs");
      }
      n++;
      i++;
    }
    assertEquals(expected.length, n, "body elements");
  }

  @Test
  void twoHostsShareAnActorsQueueGroup() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection client = nats.connect();
        Host a = TestHosts.start(nats, cluster, dir);
        Host b = TestHosts.start(nats, cluster, dir)) {
      a.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      b.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      String echo = a.actors().running().keySet().iterator().next();
      FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
      for (int i = 0; i < 200 && (invocations(a) == 0 || invocations(b) == 0); i++) {
        assertNull(http.call(echo, HttpRequest.OPERATION, request("/" + i, new byte[0])).error());
      }
      assertTrue(
          invocations(a) > 0 && invocations(b) > 0,
          "both hosts served traffic: " + invocations(a) + " / " + invocations(b));
    }
  }

  @Test
  void fiveMegabyteBodyRoundTripsThroughChunking() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection client = nats.connect();
        // echo renders 5 MB as a ~20 MB JSON array: give it room on a loaded 2-core machine
        Host host =
            TestHosts.start(nats, cluster, dir, Map.of("TRELLIS_CALL_TIMEOUT_MS", "60000"))) {
      host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
      byte[] body = new byte[5 * 1024 * 1024];
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) ('a' + i % 26);
      }
      byte[] payload = request("/big", body);
      var inv = http.sign(echo, HttpRequest.OPERATION, payload);
      io.trellis.wasmbus.chunking.ChunkStore chunks =
          new io.trellis.wasmbus.chunking.ChunkStore(client, "default", null);
      chunks.put(inv.id(), payload);
      InvocationResponse r = http.call(echo, inv.withMsg(new byte[0]), Duration.ofSeconds(60));
      assertNull(r.error(), r.error());
      assertTrue(r.isChunked(), "a ~20 MB JSON response comes back through the object store");
      byte[] full =
          chunks.take(
              io.trellis.wasmbus.chunking.ChunkStore.responseName(inv.id()), r.contentLength());
      String json = new String(HttpResponse.fromMsgPack(full).body());
      assertTrue(json.startsWith("{\"body\":[97,98,99,"), json.substring(0, 40));
      assertTrue(json.contains("\"path\":\"/big\""));
      assertBodyArrayEchoes(json, body);
      ObjectStore store = client.objectStore("default");
      assertTrue(
          store.getList().stream().allMatch(o -> o.isDeleted()),
          "the object store is empty afterwards");
    }
  }

  @Test
  void aChunkedInvocationAnnouncingATerabyteIsRefusedBeforeAnyFetch() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection client = nats.connect();
        Host host = TestHosts.start(nats, cluster, dir)) {
      host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
      var inv = http.sign(echo, HttpRequest.OPERATION, request("/x", new byte[0]));
      var huge =
          new io.trellis.wasmbus.rpc.Invocation(
              inv.origin(),
              inv.target(),
              inv.operation(),
              new byte[0],
              inv.id(),
              inv.encodedClaims(),
              inv.hostId(),
              1L << 40,
              null);
      InvocationResponse r = http.call(echo, huge, Duration.ofSeconds(10));
      assertTrue(
          r.error() != null && r.error().contains("announces content_length 1099511627776"),
          r.error());
      assertNull(
          http.call(echo, HttpRequest.OPERATION, request("/after", new byte[0])).error(),
          "the host keeps serving");
    }
  }

  @Test
  void aRefusedChunkedInvocationLeavesNoObjectBehind() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection client = nats.connect();
        Host host = TestHosts.start(nats, cluster, dir)) {
      host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      // echo is not signed for keyvalue: the call is refused after the claims check
      FakeProvider kv = new FakeProvider(client, "default", cluster, Contracts.KEY_VALUE);
      byte[] payload = new byte[1024 * 1024];
      var inv = kv.sign(echo, "KeyValue.Get", payload);
      io.trellis.wasmbus.chunking.ChunkStore chunks =
          new io.trellis.wasmbus.chunking.ChunkStore(client, "default", null);
      chunks.put(inv.id(), payload);
      InvocationResponse r = kv.call(echo, inv.withMsg(new byte[0]), Duration.ofSeconds(10));
      assertTrue(
          r.error() != null && r.error().contains("capability claim wasmcloud:keyvalue"),
          r.error());
      ObjectStore store = client.objectStore("default");
      assertTrue(
          store.getList().stream().allMatch(o -> o.isDeleted()),
          "the refused payload's object is deleted");
    }
  }

  @Test
  void hostSurvivesANatsServerRestartDuringTraffic() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Host host = TestHosts.start(nats, cluster, dir)) {
      host.actors().start(Fixtures.dist("echo"), "", 2, Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      try (Connection client =
          NatsServer.connect(
              nats.clientOptions().maxReconnects(-1).reconnectWait(Duration.ofMillis(100)))) {
        FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
        assertNull(http.call(echo, HttpRequest.OPERATION, request("/before", new byte[0])).error());
        nats.kill();
        nats.restart();
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(
                () ->
                    http.call(
                                echo,
                                http.sign(
                                    echo, HttpRequest.OPERATION, request("/after", new byte[0])),
                                Duration.ofSeconds(1))
                            .error()
                        == null);
      }
      long t0 = System.nanoTime();
      host.stop(Duration.ofSeconds(5));
      assertTrue(
          System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos(), "no host thread is stuck");
    }
  }

  @Test
  void metricsAreServedInPrometheusFormat() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Host host = TestHosts.start(nats, cluster, dir)) {
      assertEquals(0, host.metricsPort(), "off by default");
    }
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpClient web = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
    try (NatsServer nats = NatsServer.start();
        Connection client = nats.connect();
        Host host =
            TestHosts.start(
                nats, cluster, dir, Map.of("TRELLIS_METRICS_PORT", Integer.toString(port)))) {
      assertEquals(port, host.metricsPort(), "the endpoint listens on the configured port");
      host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
      http.call(echo, HttpRequest.OPERATION, request("/", new byte[0]));
      http.call(
          echo, http.sign(echo, "X.Y", new byte[0]).withMsg(new byte[] {9}), Duration.ofSeconds(5));
      java.net.http.HttpResponse<String> scraped =
          web.send(
              java.net.http.HttpRequest.newBuilder(metrics).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scraped.statusCode());
      assertEquals(
          "text/plain; version=0.0.4; charset=utf-8",
          scraped.headers().firstValue("Content-Type").orElse(""));
      String text = scraped.body();
      assertTrue(
          text.contains("trellis_actor_invocations_seconds_count{actor=\"" + echo + "\""), text);
      assertTrue(
          text.contains(
              "trellis_rpc_rejected_total{actor=\"" + echo + "\",kind=\"hash_mismatch\"}"),
          text);
      assertTrue(text.contains("trellis_rpc_bytes_in"), text);
      // which Ed25519 engine runs: libsodium on the build machine (scripts/setup.sh installs it)
      assertTrue(
          text.contains(
              "trellis_ed25519_engine{engine=\"" + Ed25519Engine.defaultEngine().name() + "\"} 1"),
          text);
      // sampled at scrape time: the actor's pool and the NATS connections
      assertTrue(text.contains("trellis_actor_instances{actor=\"" + echo + "\"}"), text);
      assertTrue(text.contains("trellis_actor_instances_busy{actor=\"" + echo + "\"} 0.0"), text);
      assertTrue(text.contains("trellis_actor_calls_queued{actor=\"" + echo + "\"} 0.0"), text);
      assertTrue(text.contains("trellis_nats_connected{connection=\"rpc\"} 1.0"), text);
      assertTrue(text.contains("trellis_nats_reconnects_total{connection=\"ctl\"} 0.0"), text);
      assertEquals(
          404,
          web.send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/other"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode(),
          "only /metrics is served");
    }
    // the endpoint closes with the host
    assertThrows(
        java.io.IOException.class,
        () ->
            web.send(
                java.net.http.HttpRequest.newBuilder(metrics).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()));
  }

  @Test
  void gracefulStopLetsInFlightCallsFinish() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection client = nats.connect()) {
      Host host = TestHosts.start(nats, cluster, dir);
      host.actors().start(Fixtures.dist("hasher"), "", 1, Map.of());
      String hasher = host.actors().running().keySet().iterator().next();
      FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
      var inv =
          http.sign(
              hasher,
              HttpRequest.OPERATION,
              new HttpRequest("POST", "/", "n=1000000", Map.of(), "x".getBytes()).toMsgPack());
      // an explicit timeout: jnats cancels a plain request's future after its default one, which a
      // million hashes on a loaded machine can outlast
      var pending =
          client.requestWithTimeout(
              io.trellis.wasmbus.subjects.Subjects.actorRpc("default", hasher),
              io.trellis.wasmbus.rpc.InvocationCodec.encode(inv),
              Duration.ofSeconds(60));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> host.rpcServer().inFlight() == 1);
      host.stop(Duration.ofSeconds(20));
      InvocationResponse r =
          io.trellis.wasmbus.rpc.InvocationCodec.decodeResponse(
              pending.get(60, java.util.concurrent.TimeUnit.SECONDS).getData());
      assertNull(r.error(), "the in-flight call completed before the host went away");
      assertEquals(64, new String(HttpResponse.fromMsgPack(r.msg()).body()).length());
    }
  }
}
