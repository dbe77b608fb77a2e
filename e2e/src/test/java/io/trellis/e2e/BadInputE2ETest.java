package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.subjects.Subjects;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row 7: bad input on the subscriptions the other tests do not reach with a real
 * provider process (the host's rpc and ctl subjects with oversized bodies; the provider's rpc,
 * link, health and shutdown subjects; the tap's lease subject), slow HTTP clients holding
 * connections to the httpserver process, and ctl commands racing on one actor from several clients.
 * Garbage on the ctl commands, the config service and the policy changes topic is in
 * control-interface's BadInputTest, ConfigServiceTest and PolicyServiceTest.
 */
class BadInputE2ETest {
  @TempDir static Path dir;
  static NatsServer nats;
  static Connection client;
  static Host host;
  static CtlClient ctl;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static String httpserver;
  static String echo;
  static int port;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    client = nats.connect();
    host =
        TestHosts.start(
            nats,
            CLUSTER,
            dir,
            Map.of(
                "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "500", "WASMCLOUD_ALLOW_FILE_LOAD", "true"));
    ctl = CtlClient.builder().connection(client).build();
    byte[] par = Lattice.par("httpserver");
    host.providers().start(par, Lattice.parRef("httpserver"), "default", "", Map.of());
    httpserver = ProviderArchive.read(par).publicKey();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> host.providers().isHealthy(httpserver, "default"));
    echo = Lattice.actor(host, "echo");
    port = FreePorts.allocate();
    host.lattice()
        .putLink(
            LinkDefinition.of(
                echo,
                httpserver,
                "default",
                Contracts.HTTP_SERVER,
                Map.of("ADDRESS", "127.0.0.1:" + port)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Lattice.tryGet(port, "/").startsWith("200 "));
  }

  @AfterAll
  static void stop() throws Exception {
    ctl.close();
    host.stop(Duration.ofSeconds(10));
    client.close();
    nats.close();
  }

  /** Just under the server's 1 MiB max_payload: the largest message anyone can send. */
  static byte[] oversized() {
    byte[] b = new byte[(int) client.getMaxPayload() - 1024];
    Arrays.fill(b, (byte) 0xc1); // never valid msgpack, not JSON
    return b;
  }

  static String rpcError(String subject, byte[] body) throws Exception {
    Message m = client.request(subject, body, Duration.ofSeconds(10));
    assertTrue(m != null, "no answer on " + subject);
    return InvocationCodec.decodeResponse(m.getData()).error();
  }

  static String text(String subject, byte[] body) throws Exception {
    Message m = client.request(subject, body, Duration.ofSeconds(10));
    assertTrue(m != null, "no answer on " + subject);
    return new String(m.getData(), StandardCharsets.UTF_8);
  }

  static void everythingStillServes() throws Exception {
    assertTrue(Lattice.get(port, "/after").body().contains("\"path\":\"/after\""));
    assertTrue(
        client.request(
                Subjects.health("default", httpserver, "default"),
                new byte[0],
                Duration.ofSeconds(5))
            != null,
        "the provider answers its health check");
    assertTrue(ctl.pingHosts().stream().anyMatch(h -> h.id().equals(host.id())));
  }

  @Test
  void garbageAndOversizedMessagesAreRefusedByNameAndNothingStops() throws Exception {
    byte[] garbage = {(byte) 0xc1, 1, 2, '{'};
    String actorRpc = Subjects.actorRpc("default", echo);
    String providerRpc = Subjects.providerRpc("default", httpserver, "default");
    for (byte[] bad : List.of(garbage, oversized())) {
      String e = rpcError(actorRpc, bad);
      assertTrue(e.startsWith("Failed to deserialize invocation"), e);
      String p = rpcError(providerRpc, bad);
      assertTrue(p.startsWith("deser error"), p);
      String cmd = text(ctl.subjects().command(host.id(), "la"), bad);
      assertTrue(cmd.contains("invalid start actor command: malformed JSON"), cmd);
      // no reply subject on these: each must simply be survived
      client.publish(Subjects.linkdefsPut("default", httpserver, "default"), bad);
      client.publish(Subjects.linkdefsDel("default", httpserver, "default"), bad);
      client.publish(Subjects.tapLeases("default"), bad);
      client.publish(Subjects.health("default", httpserver, "default"), bad);
    }
    // a shutdown addressed to another host is ignored (an unreadable one is obeyed, as in
    // wasmbus-rpc, so it is not sent here)
    client.publish(
        Subjects.shutdown("default", httpserver, "default"),
        "{\"host_id\":\"NOTTHISHOST\"}".getBytes(StandardCharsets.UTF_8));
    client.flush(Duration.ofSeconds(2));
    everythingStillServes();
    assertTrue(host.providers().isHealthy(httpserver, "default"));
  }

  @Test
  void slowHttpClientsDoNotBlockOthers() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        // an unfinished request head: the server waits for the rest
        out.write("GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        slow.add(s);
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        assertEquals(200, Lattice.get(port, "/fast").statusCode());
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 10_000, "10 requests beside 50 slow clients took " + ms + " ms");
      System.out.printf("row7: 10 requests beside 50 slow clients in %d ms%n", ms);
    } finally {
      for (Socket s : slow) {
        closeQuietly(s);
      }
    }
    everythingStillServes();
  }

  @Test
  void slowClientsAreCutAtTheHeaderTimeoutWhileTheLimitQueuesTheRest() throws Exception {
    byte[] module = Files.readAllBytes(signedEcho("guarded", KeyPair.generate(KeyType.MODULE), 1));
    String guarded = Lattice.actor(host, module, "guarded");
    int guardedPort = FreePorts.allocate();
    host.lattice()
        .putLink(
            LinkDefinition.of(
                guarded,
                httpserver,
                "default",
                Contracts.HTTP_SERVER,
                Map.of(
                    "ADDRESS",
                    "127.0.0.1:" + guardedPort,
                    "header_timeout_ms",
                    "1000",
                    "max_connections",
                    "20")));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Lattice.tryGet(guardedPort, "/").startsWith("200 "));
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        slow.add(rawRequest(guardedPort, "GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: "));
      }
      // behind at least 20 held connections in the accept queue: served once the timeout frees one
      long t0 = System.nanoTime();
      Socket queued = rawRequest(guardedPort, "GET /queued HTTP/1.1\r\nHost: x\r\n\r\n");
      slow.add(queued);
      String answer = firstLine(queued);
      long queuedMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals("HTTP/1.1 200 OK", answer);
      assertTrue(queuedMs >= 800, "served after " + queuedMs + " ms, before any slot was free");
      for (Socket s : slow.subList(0, 20)) {
        assertEquals("HTTP/1.1 408 Request Timeout", firstLine(s));
      }
      long allMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "row7: limit 20, header timeout 1 s: queued request served after %d ms, 20 slow"
              + " clients answered 408 within %d ms%n",
          queuedMs, allMs);
    } finally {
      for (Socket s : slow) {
        closeQuietly(s);
      }
    }
    assertTrue(Lattice.get(guardedPort, "/after").body().contains("\"path\":\"/after\""));
    everythingStillServes();
  }

  static Socket rawRequest(int port, String text) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(20_000);
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  static String firstLine(Socket s) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = s.getInputStream().read(); b >= 0 && b != '\r'; b = s.getInputStream().read()) {
      line.append((char) b);
    }
    return line.toString();
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  static Path revision(KeyPair moduleKey, int rev) throws IOException {
    return signedEcho("raced", moduleKey, rev);
  }

  /** The echo module signed as another actor, {@code name}, at revision {@code rev}. */
  static Path signedEcho(String name, KeyPair moduleKey, int rev) throws IOException {
    byte[] signed =
        ModuleClaims.sign(
            Fixtures.dist("echo"),
            new ActorMetadata(
                name,
                null,
                List.of(),
                List.of(Contracts.HTTP_SERVER),
                rev,
                "0." + rev,
                null,
                false),
            Fixtures.ACCOUNT,
            moduleKey,
            Instant.now().getEpochSecond(),
            name,
            null,
            null);
    Path file = dir.resolve(name + "-" + rev + ".wasm");
    Files.write(file, signed);
    return file;
  }

  @Test
  void racingCtlCommandsOnOneActorEndInAConsistentInventory() throws Exception {
    KeyPair moduleKey = KeyPair.generate(KeyType.MODULE);
    String actor = moduleKey.publicKey();
    List<String> refs = new ArrayList<>();
    for (int rev = 1; rev <= 3; rev++) {
      refs.add(revision(moduleKey, rev).toUri().toString());
    }
    String hostId = host.id();
    List<CtlClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(CtlClient.builder().url(nats.url()).timeout(Duration.ofSeconds(10)).build());
    }
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<List<String>>> done = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        CtlClient me = clients.get(c);
        int seed = c;
        Callable<List<String>> work =
            () -> {
              List<String> acks = new ArrayList<>();
              for (int i = 0; i < 12; i++) {
                var ack =
                    switch ((seed + i) % 4) {
                      case 0 -> me.startActor(hostId, refs.get(0), 1 + i % 3, Map.of());
                      case 1 -> me.scaleActor(hostId, actor, refs.get(0), i % 4, Map.of());
                      case 2 -> me.stopActor(hostId, actor, 1, Map.of());
                      default -> me.updateActor(hostId, actor, refs.get(1 + i % 2), Map.of());
                    };
                acks.add(ack.accepted() ? "ok" : ack.error());
              }
              return acks;
            };
        done.add(pool.submit(work));
      }
      Map<String, Integer> outcomes = new TreeMap<>();
      for (Future<List<String>> f : done) {
        for (String ack : f.get()) {
          outcomes.merge(ack.length() > 60 ? ack.substring(0, 60) : ack, 1, Integer::sum);
          assertTrue(
              ack.equals("ok") || !ack.isBlank(), "a refused command says why: '" + ack + "'");
        }
      }
      System.out.println("row7: acks " + outcomes);
    } finally {
      clients.forEach(CtlClient::close);
    }
    long racedMs = (System.nanoTime() - t0) / 1_000_000;
    // consistent: what the inventory reports is what runs, and the host still obeys
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertEquals(running(actor), inventoryCount(actor)));
    assertTrue(ctl.scaleActor(hostId, actor, refs.get(2), 2, Map.of()).accepted());
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertEquals(2, running(actor));
              assertEquals(2, inventoryCount(actor));
            });
    assertTrue(ctl.stopActor(hostId, actor, 0, Map.of()).accepted());
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertEquals(0, running(actor));
              assertEquals(0, inventoryCount(actor));
            });
    System.out.printf("row7: 48 racing ctl commands from 4 clients in %d ms%n", racedMs);
    everythingStillServes();
  }

  static int running(String actor) {
    var a = host.actors().running().get(actor);
    return a == null ? 0 : a.actor().instanceCount();
  }

  static int inventoryCount(String actor) {
    HostInventory inv = ctl.inventory(host.id());
    return inv.actors().stream()
        .filter(a -> a.id().equals(actor))
        .mapToInt(a -> a.instances().size())
        .sum();
  }
}
