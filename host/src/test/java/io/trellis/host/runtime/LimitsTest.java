package io.trellis.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Misbehaving guests: runaway loops, traps, memory bombs, bloat. The host keeps serving. */
class LimitsTest {
  static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
  static final ActorRuntime RT =
      new ActorRuntime(
          RuntimeOptions.defaults()
              .withCallTimeout(Duration.ofMillis(250))
              .withMemory(64, 20)
              .withQueue(2, Duration.ofMillis(200)),
          HostCallRouter.unlinked(),
          METRICS,
          Clock.systemUTC());

  @AfterAll
  static void close() {
    RT.close();
  }

  static InvocationResult.Failure failure(InvocationResult r) {
    return assertInstanceOf(InvocationResult.Failure.class, r);
  }

  @Test
  void runawayIsStoppedAtTheTimeoutAndTheInstanceReplaced() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("runaway")), 1, Map.of());
    long t0 = System.nanoTime();
    InvocationResult.Failure f = failure(a.invoke("Spin", new byte[0]));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(InvocationResult.Kind.TIMEOUT, f.kind());
    assertTrue(f.message().contains("exceeded the call timeout of 250 ms in Spin"), f.message());
    assertTrue(ms >= 240 && ms < 5_000, "stopped after " + ms + " ms");
    assertEquals(
        "Hello",
        new String(((InvocationResult.Success) a.invoke("Hello", new byte[0])).payload()),
        "the next call is served by a fresh instance");
    assertEquals(1, a.instanceCount());
    assertTrue(
        METRICS
                .counter(
                    "trellis.actor.instances.replaced",
                    "actor",
                    a.publicKey(),
                    "reason",
                    "trap_or_timeout")
                .count()
            >= 1);
  }

  @Test
  void anInitThatNeverReturnsFailsTheStartWithinTheTimeout() {
    ActorModule m = RT.load(Fixtures.signedWat("init_spin"));
    long t0 = System.nanoTime();
    ActorLoadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ActorLoadException.class, () -> RT.start(m, 1, Map.of()));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(
        e.getMessage().contains("did not finish initialising within the call timeout of 250 ms"),
        e.getMessage());
    assertTrue(ms < 5_000, "bounded: " + ms + " ms");
    assertTrue(!Thread.currentThread().isInterrupted(), "the watchdog's interrupt does not leak");
  }

  @Test
  void instancesWhoseMemoryWouldExceedHalfTheHeapAreRefused() {
    ActorModule m = RT.load(Fixtures.signedWat("runaway"));
    int count = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 65536);
    ActorLoadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ActorLoadException.class, () -> RT.start(m, count, Map.of()));
    assertTrue(
        e.getMessage().contains("cannot run " + count + " instances of actor " + m.publicKey()),
        e.getMessage());
    assertTrue(e.getMessage().contains("more than half of this host's"), e.getMessage());
  }

  @Test
  void trapBecomesAnErrorAndTheActorKeepsServing() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("trap")), 2, Map.of());
    for (int i = 0; i < 5; i++) {
      InvocationResult.Failure f = failure(a.invoke("Any", new byte[0]));
      assertEquals(InvocationResult.Kind.TRAP, f.kind());
      assertTrue(f.message().startsWith("wasm trap: "), f.message());
      assertTrue(f.message().toLowerCase().contains("unreachable"), f.message());
    }
    assertEquals(2, a.instanceCount());
  }

  @Test
  void memoryBombIsCappedAndNamed() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("membomb")), 1, Map.of());
    InvocationResult.Failure f = failure(a.invoke("Bomb", new byte[0]));
    assertEquals(InvocationResult.Kind.TRAP, f.kind());
    assertTrue(f.message().contains("memory is at or near its limit of 64 pages"), f.message());
    assertEquals(
        "ok", new String(((InvocationResult.Success) a.invoke("Ok", new byte[0])).payload()));
  }

  @Test
  void instancesThatGrewTooMuchAreRecycled() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("membomb")), 1, Map.of());
    assertTrue(a.invoke("Grow", new byte[0]).isSuccess());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                METRICS
                        .counter(
                            "trellis.actor.instances.replaced",
                            "actor",
                            a.publicKey(),
                            "reason",
                            "memory_growth")
                        .count()
                    == 1);
    assertTrue(a.invoke("Ok", new byte[0]).isSuccess());
  }

  @Test
  void fullQueueIsRefusedAtOnceAndWaitsAreBounded() throws Exception {
    Actor a = RT.start(RT.load(Fixtures.signedWat("runaway")), 1, Map.of());
    CompletableFuture<InvocationResult> spinning = a.invokeAsync("Spin", new byte[0]);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> a.busyInstances() == 1);
    CompletableFuture<InvocationResult> q1 = a.invokeAsync("Hello", new byte[0]);
    CompletableFuture<InvocationResult> q2 = a.invokeAsync("Hello", new byte[0]);
    CompletableFuture<InvocationResult> q3 = a.invokeAsync("Hello", new byte[0]);
    var results = java.util.List.of(q1.get(), q2.get(), q3.get());
    long refused =
        results.stream()
            .filter(
                r ->
                    r instanceof InvocationResult.Failure f
                        && f.kind() == InvocationResult.Kind.BUSY
                        && f.message().contains("2 calls are already queued"))
            .count();
    assertEquals(
        1, refused, "with a queue limit of 2, exactly the third waiter is refused: " + results);
    // the two that queued were served once the instance was replaced, or gave up at the queue
    // timeout
    for (InvocationResult r : results) {
      assertTrue(
          r.isSuccess()
              || (r instanceof InvocationResult.Failure f
                  && f.kind() == InvocationResult.Kind.BUSY
                  && (f.message().contains("already queued")
                      || f.message().contains("no instance became free within 200 ms"))),
          "unexpected: " + r);
    }
    assertEquals(InvocationResult.Kind.TIMEOUT, failure(spinning.get()).kind());
  }

  @Test
  void stoppedActorRefusesCalls() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("runaway")), 1, Map.of());
    assertTrue(a.stop(Duration.ofSeconds(1)));
    InvocationResult.Failure f = failure(a.invoke("Hello", new byte[0]));
    assertEquals(InvocationResult.Kind.STOPPED, f.kind());
    assertTrue(f.message().contains("is stopped"), f.message());
  }

  @Test
  void stopWaitsForInFlightCalls() throws Exception {
    Actor a = RT.start(RT.load(Fixtures.signedWat("runaway")), 1, Map.of());
    CompletableFuture<InvocationResult> spinning = a.invokeAsync("Spin", new byte[0]);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> a.busyInstances() == 1);
    assertTrue(
        a.stop(Duration.ofSeconds(5)),
        "the in-flight call ends (by timeout) within the grace period");
    assertEquals(
        InvocationResult.Kind.TIMEOUT,
        failure(spinning.get(5, java.util.concurrent.TimeUnit.SECONDS)).kind());
  }
}
