package io.trellis.host.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.host.FakeProvider;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threads that take invocations from the actors' subscriptions: a burst is served in full and
 * the waiters shrink back afterwards, and stopping an actor ends its waiters at once.
 */
class ActorRpcServerTest {
  @TempDir static Path dir;
  static NatsServer nats;
  static Connection client;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static Host host;
  static FakeProvider httpserver;
  static String echo;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    client = nats.connect();
    host = TestHosts.start(nats, CLUSTER, dir);
    host.actors().start(Fixtures.dist("echo"), "file://echo.wasm", 4, Map.of());
    echo = host.actors().running().keySet().iterator().next();
    httpserver = new FakeProvider(client, "default", CLUSTER, Contracts.HTTP_SERVER);
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
    client.close();
    nats.close();
  }

  @Test
  void aBurstIsServedInFullAndTheWaitersShrinkBack() throws Exception {
    byte[] request = SpecVectors.hex(SpecVectors.ECHO_REQUEST_HEX);
    List<Future<InvocationResponse>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 400; i++) {
        calls.add(pool.submit(() -> httpserver.call(echo, "HttpServer.HandleRequest", request)));
      }
      for (Future<InvocationResponse> f : calls) {
        InvocationResponse r = f.get();
        assertNull(r.error());
        assertEquals(SpecVectors.ECHO_RESPONSE_HEX, HexFormat.of().formatHex(r.msg()));
      }
    }
    // after the burst only spares wait (one actor here): no thread per past call is left behind
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> host.rpcServer().workers() <= ActorRpcServer.SPARE_WAITERS);
    assertTrue(host.rpcServer().workers() >= 1, "someone still waits for the next call");
    assertNull(
        httpserver.call(echo, "HttpServer.HandleRequest", request).error(), "and it is served");
  }

  @Test
  void stoppingAnActorEndsItsWaitersAtOnce() {
    host.actors().start(Fixtures.dist("hasher"), "file://hasher.wasm", 1, Map.of());
    String hasher =
        host.actors().running().keySet().stream().filter(k -> !k.equals(echo)).findFirst().get();
    int withHasher = host.rpcServer().workers();
    assertTrue(withHasher >= 2, "echo and hasher each have a waiter: " + withHasher);
    host.actors().stop(hasher, 0, Map.of());
    // well before the waiters' own 30 s wait runs out: the unsubscribe woke them
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> host.rpcServer().workers() < withHasher);
  }

  @Test
  void aHostWhoseConnectionClosesEndsItsWaitersAndOthersKeepServing(@TempDir Path other)
      throws Exception {
    Host cut = TestHosts.start(nats, CLUSTER, other);
    try {
      cut.actors().start(Fixtures.dist("echo"), "file://echo.wasm", 1, Map.of());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cut.rpcServer().workers() >= 1);
      // its network is gone: a waiter that asked its dead subscription again and again would keep
      // a carrier thread busy and, on a small machine, starve every virtual thread in the JVM
      cut.connections().close();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cut.rpcServer().workers() == 0);
      byte[] request = SpecVectors.hex(SpecVectors.ECHO_REQUEST_HEX);
      for (int i = 0; i < 20; i++) {
        assertNull(
            httpserver.call(echo, "HttpServer.HandleRequest", request).error(),
            "the other host serves on");
      }
    } finally {
      cut.close();
    }
  }
}
