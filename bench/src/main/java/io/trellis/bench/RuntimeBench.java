package io.trellis.bench;

import io.trellis.host.runtime.Actor;
import io.trellis.host.runtime.ActorModule;
import io.trellis.host.runtime.ActorRuntime;
import io.trellis.host.runtime.HostCallResult;
import io.trellis.host.runtime.RuntimeOptions;
import io.trellis.host.runtime.WasmEngine;
import io.trellis.wasmbus.interfaces.HttpRequest;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Actor runtime harness (scripts/bench/runtime.sh): echo throughput on one instance (compiler vs
 * interpreter), first call on a fresh instance, compile time per sample actor, heap per idle
 * instance. Every loop is bounded in count and time.
 */
public final class RuntimeBench {
  static final Path DIST = Path.of("actors-samples", "dist");
  static final byte[] REQUEST =
      new HttpRequest(
              "GET",
              "/foo/bar",
              "a=1",
              Map.of(
                  "host",
                  List.of("localhost:8080"),
                  "user-agent",
                  List.of("curl/7.88.1"),
                  "accept",
                  List.of("*/*")),
              "hello".getBytes())
          .toMsgPack();

  public static void main(String[] args) throws Exception {
    System.out.printf(
        "JDK %s, %d CPUs, max heap %d MiB%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    List<String> parts =
        args.length == 0 ? List.of("compile", "throughput", "first", "heap") : List.of(args);
    if (parts.contains("compile")) {
      compileTimes();
    }
    if (parts.contains("throughput")) {
      throughput(WasmEngine.COMPILER, 50_000, 200_000, 20);
      throughput(WasmEngine.INTERPRETER, 2_000, 5_000, 20);
    }
    if (parts.contains("first")) {
      firstCall(WasmEngine.COMPILER);
      firstCall(WasmEngine.INTERPRETER);
    }
    if (parts.contains("heap")) {
      heapPerInstance();
    }
  }

  static byte[] dist(String name) throws Exception {
    return Files.readAllBytes(DIST.resolve(name + ".wasm"));
  }

  static void compileTimes() throws Exception {
    System.out.println(
        "\n== compile time per sample actor (one runtime, in order; the first includes JIT warm-up)");
    try (ActorRuntime rt =
        new ActorRuntime(
            RuntimeOptions.defaults()
                .withEngine(WasmEngine.COMPILER)
                .withBackgroundCompileBytes(Long.MAX_VALUE),
            c -> HostCallResult.err("none"))) {
      for (String n :
          new String[] {
            "echo",
            "kvcounter",
            "pinger",
            "ponger",
            "fetch",
            "logger",
            "subscriber",
            "hasher",
            "echo_unprivileged"
          }) {
        byte[] b = dist(n);
        long t0 = System.nanoTime();
        ActorModule m = rt.load(b);
        long total = System.nanoTime() - t0;
        System.out.printf(
            "  %-18s %7d bytes  compile %5d ms  (load incl. verify+parse %5d ms)%n",
            n, b.length, m.compileTime().toMillis(), total / 1_000_000);
      }
    }
  }

  static void throughput(WasmEngine engine, int warmup, int max, int seconds) throws Exception {
    try (ActorRuntime rt =
        new ActorRuntime(
            RuntimeOptions.defaults().withEngine(engine), c -> HostCallResult.err("none"))) {
      Actor echo = rt.start(rt.load(dist("echo")), 1, Map.of());
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < warmup; i++) {
                      echo.invoke(HttpRequest.OPERATION, REQUEST);
                    }
                    long[] lat = new long[max];
                    int n = 0;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                    long start = System.nanoTime();
                    while (n < max && System.nanoTime() < deadline) {
                      long t0 = System.nanoTime();
                      if (!echo.invoke(HttpRequest.OPERATION, REQUEST).isSuccess()) {
                        throw new IllegalStateException("echo failed");
                      }
                      lat[n++] = System.nanoTime() - t0;
                    }
                    long elapsed = System.nanoTime() - start;
                    long[] l = Arrays.copyOf(lat, n);
                    Arrays.sort(l);
                    System.out.printf(
                        "%n== echo on one instance, %s: %d calls in %.2f s = %.0f calls/s; p50 %.1f us, p99 %.1f us%n",
                        engine,
                        n,
                        elapsed / 1e9,
                        n / (elapsed / 1e9),
                        l[n / 2] / 1e3,
                        l[(int) (n * 0.99)] / 1e3);
                  });
      t.join();
    }
  }

  static void firstCall(WasmEngine engine) throws Exception {
    try (ActorRuntime rt =
        new ActorRuntime(
            RuntimeOptions.defaults().withEngine(engine), c -> HostCallResult.err("none"))) {
      ActorModule m = rt.load(dist("echo"));
      int rounds = engine == WasmEngine.COMPILER ? 300 : 50;
      long[] inst = new long[rounds];
      long[] first = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        long t0 = System.nanoTime();
        Actor a = rt.start(m, 1, Map.of());
        long t1 = System.nanoTime();
        Thread t = Thread.ofVirtual().start(() -> a.invoke(HttpRequest.OPERATION, REQUEST));
        t.join();
        long t2 = System.nanoTime();
        inst[i] = t1 - t0;
        first[i] = t2 - t1;
        a.stop(Duration.ofSeconds(1));
      }
      // Only the second half counts: the first warms the JIT up.
      inst = Arrays.copyOfRange(inst, rounds / 2, rounds);
      first = Arrays.copyOfRange(first, rounds / 2, rounds);
      rounds = inst.length;
      Arrays.sort(inst);
      Arrays.sort(first);
      System.out.printf(
          "%n== fresh echo instance, %s (%d rounds, second half): instantiate p50 %.2f ms; first call p50 %.2f ms, p99 %.2f ms%n",
          engine,
          rounds * 2,
          inst[rounds / 2] / 1e6,
          first[rounds / 2] / 1e6,
          first[(int) (rounds * 0.99)] / 1e6);
    }
  }

  static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void heapPerInstance() throws Exception {
    System.out.println("\n== heap per idle echo instance (100 instances)");
    CountDownLatch inFlight = new CountDownLatch(100);
    CountDownLatch release = new CountDownLatch(1);
    int headroom =
        Integer.getInteger("trellis.bench.headroom", RuntimeOptions.defaults().headroomPages());
    System.out.println("  headroom pages: " + headroom);
    try (ActorRuntime rt =
        new ActorRuntime(
            RuntimeOptions.defaults().withEngine(WasmEngine.COMPILER).withHeadroomPages(headroom),
            c -> {
              inFlight.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return HostCallResult.ok(new byte[] {1});
            })) {
      ActorModule echoM = rt.load(dist("echo"));
      ActorModule kvM = rt.load(dist("kvcounter"));
      rt.start(echoM, 1, Map.of()).invoke(HttpRequest.OPERATION, REQUEST);
      long base = usedHeap();
      Actor echo = rt.start(echoM, 100, Map.of());
      long fresh = usedHeap();
      // instances are created when calls need them: a start creates one, the 99 other slots are
      // empty until calls need them (scripts/bench/idle.sh measures idle actors)
      System.out.printf(
          "  count 100, never called (one instance created at start): %.2f MiB per slot%n",
          (fresh - base) / 100.0 / (1 << 20));
      echo.stop(Duration.ofSeconds(5));
      long base2 = usedHeap();
      // kvcounter blocks in its host call, so 100 concurrent calls touch 100 distinct instances.
      Actor kv = rt.start(kvM, 100, Map.of());
      List<Thread> ts = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ts.add(Thread.ofVirtual().start(() -> kv.invoke(HttpRequest.OPERATION, REQUEST)));
      }
      inFlight.await(30, TimeUnit.SECONDS);
      release.countDown();
      for (Thread t : ts) {
        t.join();
      }
      long after = usedHeap();
      System.out.printf(
          "  after one call each (kvcounter): %.2f MiB per instance%n",
          (after - base2) / 100.0 / (1 << 20));
    }
  }
}
