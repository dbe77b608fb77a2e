package io.trellis.bench;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator: N virtual threads each issue one request at a time until a count
 * or a deadline is reached. Reports throughput and latency percentiles.
 */
final class Load {
  record Result(String name, int concurrency, long requests, long errors, double seconds, long[] latencies) {
    double perSecond() {
      return requests / seconds;
    }

    double percentileMicros(double p) {
      if (latencies.length == 0) {
        return 0;
      }
      return latencies[Math.min(latencies.length - 1, (int) (latencies.length * p))] / 1e3;
    }

    String line() {
      return String.format("%-28s c=%-3d %9.0f req/s  p50 %8.1f us  p99 %8.1f us  (%d requests, %d errors, %.1f s)",
          name, concurrency, perSecond(), percentileMicros(0.50), percentileMicros(0.99), requests, errors, seconds);
    }
  }

  private Load() {}

  static Result run(String name, int concurrency, long maxRequests, double maxSeconds, Callable<Boolean> request)
      throws InterruptedException {
    AtomicLong issued = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long[][] lat = new long[concurrency][];
    int[] counts = new int[concurrency];
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    long start = System.nanoTime();
    Thread[] threads = new Thread[concurrency];
    for (int t = 0; t < concurrency; t++) {
      int me = t;
      lat[me] = new long[(int) Math.min(maxRequests, 2_000_000)];
      threads[t] = Thread.ofVirtual().start(() -> {
        while (issued.incrementAndGet() <= maxRequests && System.nanoTime() < deadline) {
          long t0 = System.nanoTime();
          boolean ok;
          try {
            ok = request.call();
          } catch (Exception e) {
            ok = false;
          }
          long d = System.nanoTime() - t0;
          if (!ok) {
            errors.incrementAndGet();
          }
          if (counts[me] < lat[me].length) {
            lat[me][counts[me]++] = d;
          }
        }
      });
    }
    for (Thread th : threads) {
      th.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int pos = 0;
    for (int t = 0; t < concurrency; t++) {
      System.arraycopy(lat[t], 0, all, pos, counts[t]);
      pos += counts[t];
    }
    Arrays.sort(all);
    return new Result(name, concurrency, total, errors.get(), seconds, all);
  }
}
