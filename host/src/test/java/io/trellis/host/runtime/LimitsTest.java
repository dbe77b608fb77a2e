package io.trellis.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Misbehaving guests: runaway loops, traps, memory bombs, bloat. The host keeps serving. */
class LimitsTest {
  static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();

  /** For runaway guests: the 250 ms call timeout is what these tests exercise. */
  static final ActorRuntime RT =
      new ActorRuntime(
          RuntimeOptions.defaults()
              .withCallTimeout(Duration.ofMillis(250))
              .withMemory(64, 20)
              .withQueue(2, Duration.ofMillis(200)),
          HostCallRouter.unlinked(),
          METRICS,
          Clock.systemUTC());

  static final SimpleMeterRegistry CALM_METRICS = new SimpleMeterRegistry();

  /**
   * For guests that end on their own (traps, memory limits): a call timeout no call comes near, so
   * a slow machine cannot turn the trap a test expects into a timeout.
   */
  static final ActorRuntime CALM =
      new ActorRuntime(
          RuntimeOptions.defaults()
              .withCallTimeout(Duration.ofMinutes(1))
              .withMemory(64, 20)
              .withQueue(2, Duration.ofMillis(200)),
          HostCallRouter.unlinked(),
          CALM_METRICS,
          Clock.systemUTC());

  @AfterAll
  static void close() {
    RT.close();
    CALM.close();
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
    ActorModule m = CALM.load(Fixtures.signedWat("runaway"));
    int count = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 65536);
    ActorLoadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ActorLoadException.class, () -> CALM.start(m, count, Map.of()));
    assertTrue(
        e.getMessage().contains("cannot run " + count + " instances of actor " + m.publicKey()),
        e.getMessage());
    assertTrue(e.getMessage().contains("more than half of this host's"), e.getMessage());
  }

  @Test
  void trapBecomesAnErrorAndTheActorKeepsServing() {
    Actor a = CALM.start(CALM.load(Fixtures.signedWat("trap")), 2, Map.of());
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
    Actor a = CALM.start(CALM.load(Fixtures.signedWat("membomb")), 1, Map.of());
    InvocationResult.Failure f = failure(a.invoke("Bomb", new byte[0]));
    assertEquals(InvocationResult.Kind.TRAP, f.kind());
    assertTrue(f.message().contains("memory is at or near its limit of 64 pages"), f.message());
    assertEquals(
        "ok", new String(((InvocationResult.Success) a.invoke("Ok", new byte[0])).payload()));
  }

  @Test
  void instancesThatGrewTooMuchAreRecycled() {
    Actor a = CALM.start(CALM.load(Fixtures.signedWat("membomb")), 1, Map.of());
    assertTrue(a.invoke("Grow", new byte[0]).isSuccess());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                CALM_METRICS
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

  /**
   * A host_calls actor whose host call blocks until {@code release} opens, on a runtime of its own:
   * the instance stays busy exactly as long as the test wants, not for a timing window.
   */
  record Blocked(ActorRuntime runtime, Actor actor, CountDownLatch release)
      implements AutoCloseable {
    static Blocked start(int queueLimit, Duration queueTimeout) {
      CountDownLatch release = new CountDownLatch(1);
      RecordingRouter router =
          new RecordingRouter(
              call -> {
                try {
                  release.await();
                  return HostCallResult.ok("pong".getBytes(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return HostCallResult.err("interrupted");
                }
              });
      ActorRuntime rt =
          new ActorRuntime(
              RuntimeOptions.defaults()
                  // far beyond the test's own bounds: only the latch ends the blocked call
                  .withCallTimeout(Duration.ofMinutes(5))
                  .withMemory(64, 20)
                  .withQueue(queueLimit, queueTimeout),
              router,
              new SimpleMeterRegistry(),
              Clock.systemUTC());
      Actor a = rt.start(rt.load(Fixtures.signedWat("host_calls", "test:contract")), 1, Map.of());
      return new Blocked(rt, a, release);
    }

    /** A call whose host call waits on the latch. */
    CompletableFuture<InvocationResult> call() {
      return actor.invokeAsync("Run", "Mtarget".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      release.countDown();
      runtime.close();
    }
  }

  static String text(InvocationResult r) {
    return new String(
        assertInstanceOf(InvocationResult.Success.class, r, r.toString()).payload(),
        StandardCharsets.UTF_8);
  }

  @Test
  void aFullQueueIsRefusedAtOnce() throws Exception {
    // the queue timeout is far beyond the test, so a waiting call can only end by being served
    try (Blocked b = Blocked.start(2, Duration.ofMinutes(5))) {
      CompletableFuture<InvocationResult> holding = b.call();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> b.actor().busyInstances() == 1);
      List<CompletableFuture<InvocationResult>> waiters = List.of(b.call(), b.call(), b.call());
      // with a queue limit of 2, exactly one of the three is refused, at once, while the
      // instance is still held
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> waiters.stream().anyMatch(CompletableFuture::isDone));
      List<CompletableFuture<InvocationResult>> done =
          waiters.stream().filter(CompletableFuture::isDone).toList();
      assertEquals(1, done.size(), "exactly one waiter is refused: " + done);
      InvocationResult.Failure refused = failure(done.get(0).get());
      assertEquals(InvocationResult.Kind.BUSY, refused.kind());
      assertTrue(
          refused.message().contains("all 1 instances are in use and 2 calls are already queued"),
          refused.message());
      assertFalse(holding.isDone(), "the instance is still held by the blocked host call");

      b.release().countDown();
      assertEquals("OK:pong", text(holding.get(30, TimeUnit.SECONDS)));
      for (CompletableFuture<InvocationResult> w : waiters) {
        if (w != done.get(0)) {
          assertEquals(
              "OK:pong", text(w.get(30, TimeUnit.SECONDS)), "a queued call is served in turn");
        }
      }
    }
  }

  @Test
  void aQueuedCallGivesUpAfterTheQueueTimeout() throws Exception {
    try (Blocked b = Blocked.start(2, Duration.ofMillis(200))) {
      CompletableFuture<InvocationResult> holding = b.call();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> b.actor().busyInstances() == 1);
      long t0 = System.nanoTime();
      // the instance stays busy until the latch opens, so the wait can only end by its timeout
      InvocationResult.Failure f = failure(b.call().get(30, TimeUnit.SECONDS));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(InvocationResult.Kind.BUSY, f.kind());
      assertTrue(f.message().contains("no instance became free within 200 ms"), f.message());
      assertTrue(ms >= 190, "gave up after " + ms + " ms");
      assertFalse(holding.isDone(), "the instance was held the whole time");

      b.release().countDown();
      assertEquals("OK:pong", text(holding.get(30, TimeUnit.SECONDS)));
      assertEquals("OK:pong", text(b.call().get(30, TimeUnit.SECONDS)), "the actor serves again");
    }
  }

  @Test
  void stoppedActorRefusesCalls() {
    Actor a = CALM.start(CALM.load(Fixtures.signedWat("runaway")), 1, Map.of());
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

  @Test
  void stopWaitsForABlockedCallToFinish() throws Exception {
    try (Blocked b = Blocked.start(2, Duration.ofMillis(200))) {
      CompletableFuture<InvocationResult> holding = b.call();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> b.actor().busyInstances() == 1);
      CompletableFuture<Boolean> stopped =
          CompletableFuture.supplyAsync(() -> b.actor().stop(Duration.ofMinutes(1)));
      // the stop has begun once new calls are refused as stopped
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  b.actor().invoke("Run", new byte[0]) instanceof InvocationResult.Failure f
                      && f.kind() == InvocationResult.Kind.STOPPED);
      assertFalse(stopped.isDone(), "stop waits while the call is in flight");
      b.release().countDown();
      assertTrue(stopped.get(30, TimeUnit.SECONDS), "the in-flight call finished in the grace");
      assertEquals("OK:pong", text(holding.get(30, TimeUnit.SECONDS)), "and it was not cut off");
    }
  }
}
