package io.trellis.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An actor's count is the most instances that run at once; instances are created when calls need
 * them and released after the idle period (the real kvcounter actor; its keyvalue host call is
 * where a test holds a call).
 */
class IdleInstancesTest {
  static final Duration IDLE = Duration.ofMillis(200);
  // one SimpleMeterRegistry per test: the metrics are host-wide
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicInteger inHostCall = new AtomicInteger();
  final AtomicInteger mostInHostCall = new AtomicInteger();
  final AtomicInteger mostLive = new AtomicInteger();
  volatile CountDownLatch gate = new CountDownLatch(0);
  volatile Actor watched;
  final ActorRuntime rt =
      new ActorRuntime(
          RuntimeOptions.defaults()
              .withInstanceIdle(IDLE)
              // far beyond the test's bounds: only the gate ends a held call
              .withCallTimeout(Duration.ofMinutes(5))
              .withQueue(1024, Duration.ofMinutes(5)),
          new RecordingRouter(this::holdThenAnswer),
          registry,
          Clock.systemUTC());

  @AfterEach
  void close() {
    gate.countDown();
    rt.close();
  }

  private HostCallResult holdThenAnswer(HostCall call) {
    mostInHostCall.accumulateAndGet(inHostCall.incrementAndGet(), Math::max);
    Actor a = watched;
    if (a != null) {
      mostLive.accumulateAndGet(a.liveInstances(), Math::max);
    }
    try {
      gate.await();
      return HostCallResult.ok(HexFormat.of().parseHex("2a"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HostCallResult.err("interrupted");
    } finally {
      inHostCall.decrementAndGet();
    }
  }

  Actor start(int count) {
    Actor a = rt.start(rt.load(Fixtures.dist("kvcounter")), count, Map.of());
    watched = a;
    return a;
  }

  static CompletableFuture<InvocationResult> call(Actor a) {
    HttpRequest req =
        new HttpRequest("GET", "/c", "amount=1", Map.of(), "".getBytes(StandardCharsets.UTF_8));
    return a.invokeAsync(HttpRequest.OPERATION, req.toMsgPack());
  }

  static void assertCounted(InvocationResult r) {
    HttpResponse resp =
        HttpResponse.fromMsgPack(
            assertInstanceOf(InvocationResult.Success.class, r, r.toString()).payload());
    assertEquals(200, resp.statusCode());
    assertEquals("{\"counter\":42}", new String(resp.body(), StandardCharsets.UTF_8));
  }

  double liveGauge() {
    return registry.get("trellis.actor.instances.live").gauge().value();
  }

  void awaitReleased(Actor a) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.liveInstances() == 0);
    assertEquals(0.0, liveGauge(), "the host-wide gauge agrees");
  }

  /** Holds {@code n} calls in the host call, then asserts how many instances ran at once. */
  List<CompletableFuture<InvocationResult>> burst(Actor a, int n) {
    gate = new CountDownLatch(1);
    mostInHostCall.set(0);
    mostLive.set(0);
    List<CompletableFuture<InvocationResult>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(call(a));
    }
    return calls;
  }

  void finish(List<CompletableFuture<InvocationResult>> calls) throws Exception {
    gate.countDown();
    for (CompletableFuture<InvocationResult> c : calls) {
      assertCounted(c.get(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void aBurstReachesExactlyCountInstancesAndNeverMore() throws Exception {
    Actor a = start(3);
    assertEquals(
        1.0,
        registry.get("trellis.actor.instances.spawned").counter().count(),
        "one instance is created at start, to check the module");
    assertEquals(0, a.liveInstances(), "and released at once");
    List<CompletableFuture<InvocationResult>> calls = burst(a, 12);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inHostCall.get() == 3);
    assertEquals(3, a.busyInstances());
    assertEquals(3, a.liveInstances());
    // positive control for "never more": nine calls are queued, none got a fourth instance
    assertEquals(12, calls.size());
    assertEquals(0, calls.stream().filter(CompletableFuture::isDone).count());
    finish(calls);
    assertEquals(3, mostInHostCall.get(), "at most count calls ran in the guest at once");
    assertEquals(3, mostLive.get(), "at most count instances existed at once");
    assertEquals(3, a.instanceCount(), "inventory reports the configured count");
  }

  @Test
  void idleInstancesAreReleasedAndTheNextCallCreatesOne() throws Exception {
    Actor a = start(4);
    List<CompletableFuture<InvocationResult>> calls = burst(a, 4);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inHostCall.get() == 4);
    finish(calls);
    assertEquals(4, mostLive.get());
    awaitReleased(a);
    assertEquals(4, a.instanceCount(), "released instances stay in inventory");
    assertEquals(4, a.instances().size());
    assertTrue(
        registry.get("trellis.actor.instances.released").counter().count() >= 4,
        "the release is counted");

    double created = registry.get("trellis.actor.instances.spawned").counter().count();
    assertCounted(call(a).get(60, TimeUnit.SECONDS));
    // the count of creations, not liveInstances(): the instance may already be released again
    assertEquals(
        created + 1,
        registry.get("trellis.actor.instances.spawned").counter().count(),
        "a call after the release creates one instance");
    awaitReleased(a);
    assertEquals(
        1,
        rt.moduleCache().users(a.module().hash()),
        "the compiled code stays cached while the actor runs");
  }

  @Test
  void scaleDownAndUpWhileReleased() throws Exception {
    Actor a = start(4);
    awaitReleased(a);
    a.scale(2, Map.of());
    assertEquals(2, a.instanceCount());
    List<CompletableFuture<InvocationResult>> calls = burst(a, 6);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inHostCall.get() == 2);
    finish(calls);
    assertEquals(2, mostLive.get(), "scaled down to 2: at most 2 at once");

    awaitReleased(a);
    a.scale(5, Map.of("k", "v"));
    assertEquals(5, a.instanceCount());
    calls = burst(a, 10);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inHostCall.get() == 5);
    finish(calls);
    assertEquals(5, mostLive.get(), "scaled up to 5: a burst reaches 5");
    assertEquals(
        3, a.removeInstances(0, Map.of("k", "v")).size(), "annotations of cold slots are kept");
    assertEquals(2, a.instanceCount());
  }

  @Test
  void stopAfterReleaseRefusesCallsAndLeavesNoInstance() throws Exception {
    Actor a = start(2);
    awaitReleased(a);
    assertTrue(a.stop(Duration.ofSeconds(5)));
    InvocationResult r = call(a).get(60, TimeUnit.SECONDS);
    assertEquals(
        InvocationResult.Kind.STOPPED,
        assertInstanceOf(InvocationResult.Failure.class, r, r.toString()).kind());
    assertEquals(0, a.liveInstances());
    assertEquals(0.0, liveGauge());
  }

  @Test
  void stopWhileCallsRunClosesEveryInstance() throws Exception {
    Actor a = start(3);
    List<CompletableFuture<InvocationResult>> calls = burst(a, 3);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> inHostCall.get() == 3);
    CompletableFuture<Boolean> stopped =
        CompletableFuture.supplyAsync(() -> a.stop(Duration.ofMinutes(1)));
    gate.countDown();
    assertTrue(stopped.get(60, TimeUnit.SECONDS));
    for (CompletableFuture<InvocationResult> c : calls) {
      assertCounted(c.get(60, TimeUnit.SECONDS));
    }
    assertEquals(0, a.liveInstances());
    assertEquals(0.0, liveGauge());
  }
}
