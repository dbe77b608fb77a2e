package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.api.ObjectInfo;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsServerOptions;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row 6: payloads above the chunking threshold (PROTOCOL.md §4.7) in every direction,
 * through real provider processes: HTTP in and out of the httpserver provider, an actor's host call
 * carrying a large value to a provider, and a provider's large answer to an actor's host call. The
 * object store holds nothing afterwards.
 */
class LargePayloadsE2ETest {
  @TempDir static Path dir;
  static NatsServer nats;
  static Connection client;
  static Host host;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static String httpserver;

  @BeforeAll
  static void start() {
    // a 2 MB message reaches the messaging provider as a plain NATS message: raise the 1 MB limit
    nats = NatsServer.start(NatsServerOptions.builder().extraConfig("max_payload: 8MB\n").build());
    client = nats.connect();
    host =
        TestHosts.start(
            nats,
            CLUSTER,
            dir,
            // echo renders 5 MB as a ~20 MB JSON array, and a 3 MB chunked reply crosses the
            // object store: room on a loaded 2-core machine, for guest calls and for RPC (2 s by
            // default, which a chunked reply on a busy machine outlasted)
            Map.of(
                "TRELLIS_CALL_TIMEOUT_MS",
                "60000",
                "WASMCLOUD_RPC_TIMEOUT_MS",
                "30000",
                "WASMCLOUD_ALLOW_FILE_LOAD",
                "true"));
    httpserver = startProvider("httpserver");
  }

  @AfterAll
  static void stop() throws Exception {
    host.stop(Duration.ofSeconds(10));
    client.close();
    nats.close();
  }

  @AfterEach
  void objectStoreIsEmpty() throws Exception {
    List<ObjectInfo> left =
        client.objectStore("default").getList().stream().filter(o -> !o.isDeleted()).toList();
    assertEquals(List.of(), left, "no chunk object is left behind");
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
    link(
        actor,
        httpserver,
        Contracts.HTTP_SERVER,
        Map.of("ADDRESS", "127.0.0.1:" + port, "timeout_ms", "60000"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              String r = Lattice.tryGet(port, "/");
              return !r.startsWith("ERR") && !r.startsWith("503");
            });
    return port;
  }

  static byte[] letters(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  @Test
  void fiveMegabytesGoInAndComeOutThroughTheHttpServerProcess() throws Exception {
    int port = serve(Lattice.actor(host, "echo"));
    byte[] body = letters(5 * 1024 * 1024);
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        Lattice.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/big"))
                .timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(
        200, r.statusCode(), () -> r.body().substring(0, Math.min(300, r.body().length())));
    String json = r.body();
    assertTrue(json.startsWith("{\"body\":[97,98,99,"), json.substring(0, 40));
    assertTrue(json.contains("\"path\":\"/big\""));
    // the array holds every byte: ~20 MB of JSON came back through the object store
    String array = json.substring(json.indexOf('[') + 1, json.indexOf(']'));
    assertEquals(body.length, array.split(",", -1).length);
    assertTrue(json.length() > 3 * body.length, "response length " + json.length());
    System.out.printf("row6: 5 MB in, %d bytes out in %d ms%n", json.length(), ms);
  }

  @Test
  void anActorSendsTwoMegabytesToAProvider() throws Exception {
    String sub = Lattice.actor(host, "subscriber");
    link(sub, startProvider("messaging"), Contracts.MESSAGING, Map.of("SUBSCRIPTION", "e2e.big"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> client.request("e2e.big", "hi".getBytes(), Duration.ofSeconds(2)) != null);
    // provider -> actor (chunked invocation), then the actor's Messaging.Publish host call with
    // "reply: " + 2 MB -> provider (chunked host call), which publishes it to our inbox
    byte[] body = letters(2 * 1024 * 1024);
    long t0 = System.nanoTime();
    Message m = client.request("e2e.big", body, Duration.ofSeconds(30));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(m != null, "no reply within 30 s");
    byte[] prefix = "reply: ".getBytes(StandardCharsets.UTF_8);
    assertEquals(prefix.length + body.length, m.getData().length);
    assertArrayEquals(prefix, Arrays.copyOf(m.getData(), prefix.length));
    assertArrayEquals(body, Arrays.copyOfRange(m.getData(), prefix.length, m.getData().length));
    System.out.printf("row6: 2 MB through subscriber's host call in %d ms%n", ms);
  }

  @Test
  void aProviderAnswersAnActorsHostCallWithAChunkedReply() throws Exception {
    byte[] page = letters(3 * 1024 * 1024);
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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
      long t0 = System.nanoTime();
      var r = Lattice.get(port, "/?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals("{\"status\":200,\"length\":" + page.length + "}", r.body());
      System.out.printf("row6: 3 MB chunked reply to fetch's host call in %d ms%n", ms);
    } finally {
      target.stop(0);
    }
  }
}
