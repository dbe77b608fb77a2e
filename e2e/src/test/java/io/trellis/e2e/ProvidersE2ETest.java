package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The providers as real child processes started from their PARs by a real host, linked to the
 * sample actors, driven from outside the way users drive them (HTTP, NATS).
 */
class ProvidersE2ETest {
  @TempDir static Path dir;
  static NatsServer nats;
  static Connection client;
  static Host host;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static String httpserver;

  @BeforeAll
  static void start() throws Exception {
    nats = NatsServer.start();
    client = nats.connect();
    host =
        TestHosts.start(
            nats,
            CLUSTER,
            dir,
            Map.of(
                "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "500", "WASMCLOUD_ALLOW_FILE_LOAD", "true"));
    httpserver = startProvider("httpserver");
  }

  @AfterAll
  static void stop() throws Exception {
    host.stop(Duration.ofSeconds(10));
    client.close();
    nats.close();
  }

  static String startProvider(String name) {
    byte[] par = Lattice.par(name);
    host.providers().start(par, Lattice.parRef(name), "default", "", Map.of());
    String pk = ProviderArchive.read(par).publicKey();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> host.providers().isHealthy(pk, "default"));
    return pk;
  }

  static void link(String actor, String provider, String contract, Map<String, String> values) {
    host.lattice().putLink(LinkDefinition.of(actor, provider, "default", contract, values));
  }

  static int serve(String actor) {
    int port = FreePorts.allocate();
    link(actor, httpserver, Contracts.HTTP_SERVER, Map.of("ADDRESS", "127.0.0.1:" + port));
    // Ready when the listener answers and the actor is reachable (any status but 503).
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              String r = Lattice.tryGet(port, "/");
              return !r.startsWith("ERR") && !r.startsWith("503");
            });
    return port;
  }

  @Test
  void httpRequestsReachEchoThroughTheHttpServerProvider() throws Exception {
    String echo = Lattice.actor(host, "echo");
    int port = serve(echo);
    var r = Lattice.get(port, "/hello/world?x=1");
    assertEquals(200, r.statusCode());
    assertTrue(
        r.body().contains("\"path\":\"/hello/world\"")
            && r.body().contains("\"query_string\":\"x=1\""),
        r.body());
    assertEquals(
        200,
        Lattice.HTTP
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/p"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("hi"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .statusCode());
  }

  @Test
  void kvcounterCountsInJetStreamKeyValue() throws Exception {
    String kv = Lattice.actor(host, "kvcounter");
    String keyvalue = startProvider("keyvalue");
    link(kv, keyvalue, Contracts.KEY_VALUE, Map.of("bucket", "e2e_counters"));
    int port = serve(kv);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Lattice.tryGet(port, "/visits").contains("counter"));
    String first = Lattice.get(port, "/visits").body();
    String second = Lattice.get(port, "/visits?amount=5").body();
    int a = Integer.parseInt(first.replaceAll("\\D", ""));
    int b = Integer.parseInt(second.replaceAll("\\D", ""));
    assertEquals(a + 5, b, first + " then " + second);
    KeyValue bucket = client.keyValue("e2e_counters");
    assertTrue(
        bucket.keys().stream().anyMatch(k -> k.contains("visits")),
        "the count lives in JetStream: " + bucket.keys());
  }

  @Test
  void fetchCallsAnHttpServerThroughTheHttpClientProvider() throws Exception {
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] page = "<html>twelve b</html>".getBytes(StandardCharsets.UTF_8);
    target.createContext(
        "/page",
        ex -> {
          ex.sendResponseHeaders(200, page.length);
          ex.getResponseBody().write(page);
          ex.close();
        });
    target.start();
    try {
      String fetch = Lattice.actor(host, "fetch");
      link(fetch, startProvider("httpclient"), Contracts.HTTP_CLIENT, Map.of());
      int port = serve(fetch);
      String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/page";
      var r = Lattice.get(port, "/?url=" + java.net.URLEncoder.encode(url, StandardCharsets.UTF_8));
      assertEquals("{\"status\":200,\"length\":" + page.length + "}", r.body());
    } finally {
      target.stop(0);
    }
  }

  @Test
  void subscriberReceivesAPublishedMessageAndReplies() throws Exception {
    String sub = Lattice.actor(host, "subscriber");
    String messaging = startProvider("messaging");
    link(sub, messaging, Contracts.MESSAGING, Map.of("SUBSCRIPTION", "e2e.orders"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              var m = client.request("e2e.orders", "hi".getBytes(), Duration.ofSeconds(2));
              return m != null
                  && new String(m.getData(), StandardCharsets.UTF_8).equals("reply: hi");
            });
  }

  @Test
  void actorWithoutTheKeyValueClaimGetsA500WithTheReason() throws Exception {
    byte[] unpriv =
        ModuleClaims.sign(
            Fixtures.dist("kvcounter"),
            new ActorMetadata(
                "kv-unpriv", null, List.of(), List.of(Contracts.HTTP_SERVER), 1, "1", null, false),
            Fixtures.ACCOUNT,
            KeyPair.generate(KeyType.MODULE),
            Instant.now().getEpochSecond(),
            "u",
            null,
            null);
    String key = Lattice.actor(host, unpriv, "kv-unpriv");
    int port = serve(key);
    var r = Lattice.get(port, "/x");
    assertEquals(500, r.statusCode(), r.body());
    assertTrue(r.body().contains("missing capability claim for wasmcloud:keyvalue"), r.body());
  }

  @Test
  void tamperedArchiveIsRefused() {
    byte[] par = ProviderArchive.read(Lattice.par("httpclient")).toBytes(false);
    par[par.length - 2000] ^= 0x40; // inside the last binary
    LatticeException e =
        assertThrows(
            LatticeException.class,
            () -> host.providers().start(par, "tampered.par", "tampered", "", Map.of()));
    assertTrue(e.getMessage().toLowerCase().contains("hash"), e.getMessage());
  }
}
