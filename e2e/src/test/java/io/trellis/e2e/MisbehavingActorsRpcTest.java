package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.host.FakeProvider;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row 5: misbehaving actors reached over NATS by signed invocations (not only through
 * the runtime, as LimitsTest does). The caller gets an error that names what happened, the host
 * serves the next call at once, and the invocation metrics count each outcome.
 */
class MisbehavingActorsRpcTest {
  @TempDir static Path dir;
  static NatsServer nats;
  static Connection client;
  static Host host;
  static FakeProvider caller;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    client = nats.connect();
    host =
        TestHosts.start(
            nats,
            CLUSTER,
            dir,
            Map.of("TRELLIS_CALL_TIMEOUT_MS", "500", "TRELLIS_MAX_MEMORY_PAGES", "64"));
    caller = new FakeProvider(client, "default", CLUSTER, Contracts.HTTP_SERVER);
  }

  @AfterAll
  static void stop() throws Exception {
    host.stop(Duration.ofSeconds(10));
    client.close();
    nats.close();
  }

  static String actor(String wat) {
    return Lattice.actor(host, Fixtures.signedWat(wat, Contracts.HTTP_SERVER), wat);
  }

  static long count(String actor, String outcome) {
    return host
        .meterRegistry()
        .find("trellis.actor.invocations")
        .tag("actor", actor)
        .tag("outcome", outcome)
        .timers()
        .stream()
        .mapToLong(t -> t.count())
        .sum();
  }

  static String ok(String actor, String op) throws Exception {
    InvocationResponse r = caller.call(actor, op, new byte[0]);
    assertNull(r.error(), "the next call is served");
    return new String(r.msg(), StandardCharsets.UTF_8);
  }

  @Test
  void aTrapComesBackAsANamedErrorAndTheNextCallIsServed() throws Exception {
    String trap = actor("trap");
    for (int i = 1; i <= 3; i++) {
      InvocationResponse r = caller.call(trap, "Any.Thing", new byte[0]);
      assertTrue(r.error() != null && r.error().contains("wasm trap"), String.valueOf(r.error()));
      assertTrue(r.error().toLowerCase().contains("unreachable"), r.error());
      assertEquals(i, count(trap, "trap"));
    }
  }

  @Test
  void anInfiniteLoopIsCutAtTheCallTimeoutAndTheNextCallIsServedAtOnce() throws Exception {
    String runaway = actor("runaway");
    long t0 = System.nanoTime();
    InvocationResponse r = caller.call(runaway, "Spin", new byte[0]);
    long failedAfter = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(
        r.error() != null && r.error().contains("exceeded the call timeout of 500 ms in Spin"),
        String.valueOf(r.error()));
    assertTrue(failedAfter >= 490 && failedAfter < 5_000, "answered after " + failedAfter + " ms");
    long t1 = System.nanoTime();
    assertEquals("Hello", ok(runaway, "Hello"));
    long nextMs = (System.nanoTime() - t1) / 1_000_000;
    assertTrue(nextMs < 2_000, "next call took " + nextMs + " ms");
    System.out.printf("row5: loop answered after %d ms, next call %d ms%n", failedAfter, nextMs);
    assertEquals(1, count(runaway, "timeout"));
    assertEquals(1, count(runaway, "success"));
  }

  @Test
  void aMemoryBombIsCappedAndNamedAndTheNextCallIsServed() throws Exception {
    String bomb = actor("membomb");
    InvocationResponse r = caller.call(bomb, "Bomb", new byte[0]);
    assertTrue(
        r.error() != null && r.error().contains("memory is at or near its limit of 64 pages"),
        String.valueOf(r.error()));
    assertEquals("ok", ok(bomb, "Ok"));
    assertEquals(1, count(bomb, "trap"));
    assertEquals(1, count(bomb, "success"));
  }
}
