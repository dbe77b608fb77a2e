package io.trellis.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP GETs against one URL, sequential or from several threads until stopped, recording each
 * answer's status (0 for no answer) and latency: the traffic and the error count of the locality
 * and failover measurements.
 */
final class HttpLoad implements AutoCloseable {
  /** One request: when it was sent (ns, monotonic), its status (0: no HTTP answer), its latency. */
  record Sample(long sentAt, int status, long nanos) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final URI uri;
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  private HttpLoad(URI uri) {
    this.uri = uri;
  }

  /** {@code n} requests one after the other. */
  static List<Sample> sequential(int port, String path, int n) {
    HttpLoad l = new HttpLoad(URI.create("http://127.0.0.1:" + port + path));
    List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(l.once());
    }
    return out;
  }

  /**
   * {@code n} requests to each path, alternating, so both see the same warm-up and the same load
   * from whatever else runs on the machine.
   */
  static List<List<Sample>> alternating(int port, String pathA, String pathB, int n) {
    HttpLoad a = new HttpLoad(URI.create("http://127.0.0.1:" + port + pathA));
    HttpLoad b = new HttpLoad(URI.create("http://127.0.0.1:" + port + pathB));
    List<Sample> as = new ArrayList<>(n);
    List<Sample> bs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      as.add(a.once());
      bs.add(b.once());
    }
    return List.of(as, bs);
  }

  /** Starts {@code threads} loops that send requests until {@link #close}. */
  static HttpLoad start(int port, String path, int threads) {
    HttpLoad l = new HttpLoad(URI.create("http://127.0.0.1:" + port + path));
    for (int i = 0; i < threads; i++) {
      Thread t =
          Thread.ofPlatform()
              .name("http-load-" + i)
              .start(
                  () -> {
                    while (l.running.get()) {
                      l.samples.add(l.once());
                    }
                  });
      l.threads.add(t);
    }
    return l;
  }

  private Sample once() {
    long t0 = System.nanoTime();
    int status;
    try {
      status =
          HTTP.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
    } catch (IOException e) {
      status = 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 0;
    }
    return new Sample(t0, status, System.nanoTime() - t0);
  }

  /** How many requests have finished so far. */
  int finished() {
    return samples.size();
  }

  /** Stops the loops, waits for their last requests and returns every sample. */
  List<Sample> stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(30));
    }
    return List.copyOf(samples);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /** Requests by status. */
  static Map<Integer, Long> byStatus(List<Sample> s) {
    Map<Integer, Long> m = new TreeMap<>();
    for (Sample x : s) {
      m.merge(x.status(), 1L, Long::sum);
    }
    return m;
  }

  static long errors(List<Sample> s) {
    return s.stream().filter(x -> x.status() != 200).count();
  }

  /** The {@code q} quantile (0..1) of the successful requests' latencies, in milliseconds. */
  static double quantileMs(List<Sample> s, double q) {
    long[] ns = s.stream().filter(x -> x.status() == 200).mapToLong(Sample::nanos).toArray();
    if (ns.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(ns);
    return ns[Math.min(ns.length - 1, (int) (ns.length * q))] / 1e6;
  }
}
