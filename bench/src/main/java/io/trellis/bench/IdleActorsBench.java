package io.trellis.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trellis.host.runtime.Actor;
import io.trellis.host.runtime.ActorRuntime;
import io.trellis.host.runtime.HostCallResult;
import io.trellis.host.runtime.HostCallRouter;
import io.trellis.host.runtime.InvocationResult;
import io.trellis.host.runtime.RuntimeOptions;
import io.trellis.host.runtime.WasmEngine;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Idle actors (scripts/bench/idle.sh): heap of 1,000 actors after their instances are released, the
 * extra latency of the first call after a release, and that a burst reaches {@code count} instances
 * and no more. Every loop is bounded in count and time.
 */
public final class IdleActorsBench {
  // the heap phase calls every actor once: fewer than 1,000 instances (1.3 MiB each) alive at once
  static final Duration HEAP_IDLE = Duration.ofMillis(500);
  static final Duration IDLE = Duration.ofMillis(50);
  static final KeyPair ACCOUNT = KeyPair.generate(KeyType.ACCOUNT);

  public static void main(String[] args) throws Exception {
    int actors = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    System.out.printf(
        "JDK %s, %d CPUs, max heap %d MiB%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    idleHeap(actors);
    firstCallAfterRelease(100);
    burst(8, 64);
  }

  /** The echo sample re-signed with a fresh module key: another actor, the same code hash. */
  static byte[] resigned(byte[] echo, int i) {
    ActorMetadata meta =
        new ActorMetadata(
            "echo-" + i, null, List.of(), List.of("wasmcloud:httpserver"), 1, "0.1.0", null, false);
    return ModuleClaims.sign(
        echo,
        meta,
        ACCOUNT,
        KeyPair.generate(KeyType.MODULE),
        Instant.now().getEpochSecond(),
        "bench",
        null,
        null);
  }

  static ActorRuntime runtime(HostCallRouter router, Duration idle) {
    System.out.printf("  instance idle period %d ms%n", idle.toMillis());
    return new ActorRuntime(
        RuntimeOptions.defaults().withEngine(WasmEngine.COMPILER).withInstanceIdle(idle),
        router,
        // the host's registry type: its per-actor meters are part of what an idle actor costs
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        Clock.systemUTC());
  }

  static boolean await(BooleanSupplier done, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  static void idleHeap(int n) throws Exception {
    System.out.printf("%n== heap of %d idle echo actors (each its own key, one shared code)%n", n);
    byte[] echo = RuntimeBench.dist("echo");
    List<byte[]> modules = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      modules.add(resigned(echo, i));
    }
    try (ActorRuntime rt = runtime(c -> HostCallResult.err("none"), HEAP_IDLE)) {
      // the code is compiled and cached by the first load; every later actor shares it
      Actor first = rt.start(rt.load(modules.get(0)), 1, Map.of());
      check(first.invoke(HttpRequest.OPERATION, RuntimeBench.REQUEST));
      long base = RuntimeBench.usedHeap();
      List<Actor> started = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 1; i < n; i++) {
        started.add(rt.start(rt.load(modules.get(i)), 1, Map.of()));
      }
      long startMs = (System.nanoTime() - t0) / 1_000_000;
      long fresh = RuntimeBench.usedHeap();
      int others = n - 1;
      System.out.printf(
          "  started %d actors in %d ms (%.2f ms each); never called: %.1f KiB per actor%n",
          others, startMs, startMs / (double) others, (fresh - base) / 1024.0 / others);
      long t1 = System.nanoTime();
      for (Actor a : started) {
        check(a.invoke(HttpRequest.OPERATION, RuntimeBench.REQUEST));
      }
      long callMs = (System.nanoTime() - t1) / 1_000_000;
      boolean released =
          await(
              () -> started.stream().allMatch(a -> a.liveInstances() == 0),
              HEAP_IDLE.plusSeconds(60));
      long idle = RuntimeBench.usedHeap();
      System.out.printf(
          "  one call each (%d ms, each creating an instance), then %s: %.1f KiB per idle actor%n",
          callMs,
          released ? "all released" : "NOT all released in time",
          (idle - base) / 1024.0 / others);
      modules.clear();
      started.forEach(a -> a.stop(Duration.ofSeconds(1)));
    }
  }

  static void firstCallAfterRelease(int rounds) throws Exception {
    System.out.printf("%n== first call after the release vs a warm call (%d rounds)%n", rounds);
    try (ActorRuntime rt = runtime(c -> HostCallResult.err("none"), IDLE)) {
      Actor a = rt.start(rt.load(RuntimeBench.dist("echo")), 1, Map.of());
      for (int i = 0; i < 20_000; i++) {
        a.invoke(HttpRequest.OPERATION, RuntimeBench.REQUEST);
      }
      long[] warm = new long[rounds];
      long[] cold = new long[rounds];
      int done = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      for (; done < rounds && System.nanoTime() < deadline; done++) {
        long t0 = System.nanoTime();
        check(a.invoke(HttpRequest.OPERATION, RuntimeBench.REQUEST));
        warm[done] = System.nanoTime() - t0;
        if (!await(() -> a.liveInstances() == 0, Duration.ofSeconds(10))) {
          throw new IllegalStateException("the instance was not released within 10 s");
        }
        t0 = System.nanoTime();
        check(a.invoke(HttpRequest.OPERATION, RuntimeBench.REQUEST));
        cold[done] = System.nanoTime() - t0;
      }
      Arrays.sort(warm, 0, done);
      Arrays.sort(cold, 0, done);
      System.out.printf(
          "  %d rounds: warm call p50 %.3f ms, p99 %.3f ms; first call after release p50 %.3f"
              + " ms, p99 %.3f ms; extra p50 %.3f ms%n",
          done,
          warm[done / 2] / 1e6,
          warm[(int) (done * 0.99)] / 1e6,
          cold[done / 2] / 1e6,
          cold[(int) (done * 0.99)] / 1e6,
          (cold[done / 2] - warm[done / 2]) / 1e6);
    }
  }

  static void check(InvocationResult r) {
    if (!(r instanceof InvocationResult.Success)) {
      throw new IllegalStateException("call failed: " + r);
    }
  }

  static void burst(int count, int calls) throws Exception {
    System.out.printf(
        "%n== a burst of %d concurrent calls on an actor with count %d%n", calls, count);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger mostLive = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    Actor[] holder = new Actor[1];
    try (ActorRuntime rt =
        runtime(
            c -> {
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              mostLive.accumulateAndGet(holder[0].liveInstances(), Math::max);
              try {
                gate.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              inside.decrementAndGet();
              return HostCallResult.ok(new byte[] {1});
            },
            IDLE)) {
      Actor kv = rt.start(rt.load(RuntimeBench.dist("kvcounter")), count, Map.of());
      holder[0] = kv;
      List<Thread> ts = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        ts.add(
            Thread.ofVirtual().start(() -> kv.invoke(HttpRequest.OPERATION, RuntimeBench.REQUEST)));
      }
      boolean reached = await(() -> inside.get() == count, Duration.ofSeconds(30));
      // hold a little longer: a call that got a further instance would show up now
      Thread.sleep(200);
      gate.countDown();
      for (Thread t : ts) {
        t.join(30_000);
      }
      System.out.printf(
          "  reached %d in the guest at once (%s), most instances alive at once %d, count %d%n",
          most.get(),
          reached ? "reached count" : "did NOT reach count in 30 s",
          mostLive.get(),
          count);
      boolean releasedAll = await(() -> kv.liveInstances() == 0, Duration.ofSeconds(30));
      System.out.printf("  all released after the idle period: %s%n", releasedAll);
    }
  }
}
