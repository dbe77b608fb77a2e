package io.trellis.bench;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator: N virtual threads each issue one request at a time until a count or
 * a deadline is reached. Reports throughput and latency percentiles.
 */
final class Load {
  record Result(
      String name, int concurrency, long requests, long errors, double seconds, long[] latencies) {
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
      return String.format(
          "%-28s c=%-3d %9.0f req/s  p50 %8.1f us  p99 %8.1f us  (%d requests, %d errors, %.1f s)",
          name,
          concurrency,
          perSecond(),
          percentileMicros(0.50),
          percentileMicros(0.99),
          requests,
          errors,
          seconds);
    }
  }

  /**
   * At most this many latency samples are kept (16 MB), whatever maxRequests and the concurrency.
   */
  private static final int MAX_SAMPLES = 2_000_000;

  private Load() {}

  static Result run(
      String name, int concurrency, long maxRequests, double maxSeconds, Callable<Boolean> request)
      throws InterruptedException {
    AtomicLong issued = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    // One array for all threads: request n (1-based, in issue order) writes slot n-1, so no thread
    // needs room of its own. Allocated before the clock starts: the allocation is not measured.
    long[] lat = new long[(int) Math.min(maxRequests, MAX_SAMPLES)];
    long start = System.nanoTime();
    long deadline = start + (long) (maxSeconds * 1e9);
    Thread[] threads = new Thread[concurrency];
    for (int t = 0; t < concurrency; t++) {
      threads[t] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    // The deadline is checked before a number is taken, so every number up to
                    // maxRequests
                    // that is taken is also run: the filled slots have no gaps.
                    while (System.nanoTime() < deadline) {
                      long n = issued.incrementAndGet();
                      if (n > maxRequests) {
                        break;
                      }
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
                      if (n <= lat.length) {
                        lat[(int) (n - 1)] = d;
                      }
                    }
                  });
    }
    for (Thread th : threads) {
      th.join(); // also makes every thread's writes to lat visible here
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long requests = Math.min(issued.get(), maxRequests);
    int samples = (int) Math.min(requests, lat.length);
    Arrays.sort(lat, 0, samples);
    return new Result(
        name,
        concurrency,
        requests,
        errors.get(),
        seconds,
        samples == lat.length ? lat : Arrays.copyOf(lat, samples));
  }
}
