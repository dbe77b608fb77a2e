package io.trellis.provider.httpserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.provider.sdk.InvalidLinkValueException;
import io.trellis.provider.sdk.ProviderRunner;
import io.trellis.provider.sdk.RunningProvider;
import io.trellis.provider.testkit.FakeActor;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients and the connection limit (link values idle_timeout_ms, header_timeout_ms,
 * max_connections) against the provider on real sockets; fault matrix row 7.
 */
class HttpConnectionsTest {
  static NatsServer nats;
  static final String FULL_REQUEST = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

  TestLattice lattice;
  HttpServerProvider provider;
  RunningProvider running;
  String pk;
  String actor;
  FakeActor fake;
  final List<Socket> sockets = new ArrayList<>();

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
    fake = lattice.actor(actor, (inv, payload) -> ok());
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    fake.close();
    running.close();
    lattice.close();
  }

  static FakeActor.Reply ok() {
    return FakeActor.ok(
        new HttpResponse(200, Map.of(), "ok".getBytes(StandardCharsets.UTF_8)).toMsgPack());
  }

  int link(Map<String, String> values) {
    Map<String, String> v = new HashMap<>(values);
    v.put("ADDRESS", "127.0.0.1:0");
    lattice.putLink(TestLattice.link(actor, pk, Contracts.HTTP_SERVER, v));
    await().atMost(Duration.ofSeconds(5)).until(() -> provider.boundAddress(actor).isPresent());
    return provider.boundAddress(actor).orElseThrow().getPort();
  }

  Socket open(int port, String sent) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    sockets.add(s);
    s.setSoTimeout(15_000);
    s.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /** One response: the head and a Content-Length body. */
  static String response(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return head.size() == 0 ? "EOF" : head.toString(StandardCharsets.US_ASCII) + "EOF";
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  static boolean closedByServer(Socket s) throws IOException {
    try {
      return s.getInputStream().read() < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  static long msSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void aClientTricklingItsHeadGets408AtTheHeaderTimeout() throws Exception {
    int port = link(Map.of("header_timeout_ms", "800"));
    Socket s = open(port, "GET /slow HTTP/1.1\r\nHost: t\r\nX-Slow: ");
    long t0 = System.nanoTime();
    AtomicBoolean trickling = new AtomicBoolean(true);
    Thread trickle =
        Thread.ofVirtual()
            .start(
                () -> {
                  // a byte every 100 ms: the idle timeout (30 s) alone would never cut this
                  for (int i = 0; i < 150 && trickling.get(); i++) {
                    try {
                      s.getOutputStream().write('a');
                      Thread.sleep(100);
                    } catch (IOException | InterruptedException gone) {
                      return;
                    }
                  }
                });
    String r = response(s);
    long ms = msSince(t0);
    trickling.set(false);
    trickle.join();
    assertTrue(r.startsWith("HTTP/1.1 408 "), r);
    assertTrue(r.contains("header_timeout_ms"), r);
    assertTrue(ms >= 700 && ms < 10_000, "408 after " + ms + " ms, header timeout 800 ms");
    assertTrue(closedByServer(s));
    // positive control: a client that sends its head at once is served on the same listener
    assertTrue(response(open(port, FULL_REQUEST)).startsWith("HTTP/1.1 200 "));
    assertTrue(fake.received().size() == 1, "the late request never reached the actor");
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedSilentlyAtTheHeaderTimeout() throws Exception {
    int port = link(Map.of("header_timeout_ms", "800"));
    Socket s = open(port, FULL_REQUEST);
    assertTrue(response(s).startsWith("HTTP/1.1 200 "));
    long t0 = System.nanoTime();
    s.getOutputStream().write(FULL_REQUEST.getBytes(StandardCharsets.US_ASCII));
    assertTrue(response(s).startsWith("HTTP/1.1 200 "), "a second request in time is served");
    // no 408: a client reusing the connection at this moment would take it for its new request
    String r = response(s);
    long ms = msSince(t0);
    assertEquals("EOF", r);
    assertTrue(ms >= 700 && ms < 10_000, "closed " + ms + " ms after the last response");
  }

  @Test
  void aStalledBodyIsCutAtTheIdleTimeoutAndNeverReachesTheActor() throws Exception {
    int port = link(Map.of("idle_timeout_ms", "500"));
    Socket s = open(port, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789");
    long t0 = System.nanoTime();
    String r = response(s);
    long ms = msSince(t0);
    // Jetty answers a body read that timed out with an error status, or just closes
    assertTrue(r.equals("EOF") || r.startsWith("HTTP/1.1 4") || r.startsWith("HTTP/1.1 5"), r);
    assertTrue(ms >= 400 && ms < 10_000, "cut after " + ms + " ms, idle timeout 500 ms");
    assertTrue(closedByServer(s));
    assertTrue(fake.received().isEmpty(), "the actor was called with a partial body");
  }

  @Test
  void aRequestWaitingForItsActorOutlivesBothTimeouts() throws Exception {
    fake.close();
    fake =
        lattice.actor(
            actor,
            (inv, payload) -> {
              Thread.sleep(1500);
              return ok();
            });
    int port = link(Map.of("idle_timeout_ms", "300", "header_timeout_ms", "300"));
    long t0 = System.nanoTime();
    String r = response(open(port, FULL_REQUEST));
    assertTrue(r.startsWith("HTTP/1.1 200 "), "answered after " + msSince(t0) + " ms: " + r);
    assertTrue(msSince(t0) >= 1400);
  }

  @Test
  void connectionsBeyondTheLimitWaitForAFreeSlot() throws Exception {
    int port = link(Map.of("max_connections", "3"));
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple's output
    try {
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Socket s = open(port, FULL_REQUEST);
        assertTrue(response(s).startsWith("HTTP/1.1 200 ")); // accepted, then kept alive
        held.add(s);
      }
      Socket waiting = open(port, FULL_REQUEST); // the kernel queues it; Jetty does not accept
      waiting.setSoTimeout(1500);
      assertThrows(SocketTimeoutException.class, () -> waiting.getInputStream().read());
      held.get(0).close();
      waiting.setSoTimeout(15_000);
      assertTrue(response(waiting).startsWith("HTTP/1.1 200 "), "served once a slot was free");
    } finally {
      System.setErr(err);
    }
    String said = log.toString(StandardCharsets.UTF_8);
    assertTrue(
        said.contains("listener 127.0.0.1:" + port + " holds max_connections=3 connections"),
        "the log says the listener is full: " + said);
  }

  @Test
  void badConnectionSettingsAreRefusedByName() {
    assertEquals(
        "link value max_connections='0' must be between 1 and 1000000",
        settingsError(Map.of("max_connections", "0")));
    assertEquals(
        "link value header_timeout_ms='0' must be at least 1 (milliseconds)",
        settingsError(Map.of("header_timeout_ms", "0")));
    assertEquals(
        "link value idle_timeout_ms='soon' is not an integer",
        settingsError(Map.of("idle_timeout_ms", "soon")));
    assertEquals(
        "config_json max_connections='2000000' must be between 1 and 1000000",
        settingsError(Map.of("config_json", "{\"max_connections\":2000000}")));
    assertEquals(
        "config_json idle_timeout_ms='-5' must be at least 1 (milliseconds)",
        settingsError(Map.of("config_json", "{\"idle_timeout_ms\":-5}")));
    ConnectionSettings read =
        ServerSettings.from(
                Map.of(
                    "config_json",
                    "{\"idle_timeout_ms\":1000,\"max_connections\":7}",
                    "header_timeout_ms",
                    "2000"))
            .connections();
    assertEquals(new ConnectionSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), 7), read);
    assertEquals(ConnectionSettings.DEFAULT, ServerSettings.from(Map.of()).connections());
    assertEquals(
        new ConnectionSettings(Duration.ofSeconds(30), Duration.ofSeconds(30), 1000),
        read.widen(ConnectionSettings.DEFAULT),
        "a shared listener takes the larger of each");
  }

  static String settingsError(Map<String, String> values) {
    return assertThrows(InvalidLinkValueException.class, () -> ServerSettings.from(values))
        .getMessage();
  }
}
