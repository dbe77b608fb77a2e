package io.trellis.e2e.soak;

import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's clients: a few threads, each one request at a time with a short pause (bounded load on
 * a shared two-core machine). HTTP echo, kvcounter increments (every acknowledged value kept),
 * pinger -> ponger (actor to actor), and messaging request/reply through the subscriber actor.
 */
final class Load implements AutoCloseable {
  static final Pattern COUNTER = Pattern.compile("\\{\"counter\":(-?\\d+)}");
  private static final Pattern IDS = Pattern.compile("[NMV][A-Z0-9]{55}");
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Ledger ledger;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final List<Ledger.Stream> streams = new ArrayList<>();

  /** Every counter value an increment was acknowledged with (each must be distinct). */
  final Set<Long> ackedValues = ConcurrentHashMap.newKeySet();

  final AtomicLong acked = new AtomicLong();
  final AtomicLong duplicateAcks = new AtomicLong();

  /** Which values were acknowledged twice, and in which fault window (for the report). */
  final List<String> duplicates = new CopyOnWriteArrayList<>();

  final String counterPath;

  Load(Ledger ledger, String counterPath) {
    this.ledger = ledger;
    this.counterPath = counterPath;
  }

  void start(int echoPort, int counterPort, int pingerPort, Connection nc, String subject) {
    stream("echo", () -> check(get(echoPort, "/soak"), 200, "\"path\":\"/soak\""));
    for (int i = 0; i < 2; i++) {
      stream("counter", () -> increment(counterPort));
    }
    stream("pinger", () -> check(get(pingerPort, "/"), 200, "Ping pong"));
    stream("messaging", () -> request(nc, subject));
  }

  /** One request: null when answered as expected, else the cause of the failure. */
  interface Call {
    String call() throws IOException, InterruptedException;
  }

  private void stream(String name, Call call) {
    Ledger.Stream s = ledger.new Stream(name);
    streams.add(s);
    threads.add(
        Thread.ofPlatform()
            .name("soak-" + name + "-" + threads.size())
            .start(
                () -> {
                  while (running.get()) {
                    String kind = ledger.current();
                    String cause;
                    try {
                      cause = call.call();
                    } catch (HttpTimeoutException e) {
                      cause = "timeout";
                    } catch (ConnectException e) {
                      cause = "connection refused";
                    } catch (IOException e) {
                      cause = e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      cause = e.getClass().getSimpleName() + " " + shorten(e.getMessage());
                    }
                    synchronized (s) {
                      if (cause == null) {
                        s.answered(kind);
                      } else {
                        s.failed(kind, cause);
                      }
                    }
                    try {
                      Thread.sleep(cause == null ? 20 : 100);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }));
  }

  HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(TIMEOUT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String check(HttpResponse<String> r, int status, String contains) {
    if (r.statusCode() == status && r.body().contains(contains)) {
      return null;
    }
    return "HTTP " + r.statusCode() + " " + shorten(r.body());
  }

  private String increment(int port) throws IOException, InterruptedException {
    HttpResponse<String> r = get(port, counterPath + "?amount=1");
    Matcher m = COUNTER.matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      return "HTTP " + r.statusCode() + " " + shorten(r.body());
    }
    acked.incrementAndGet();
    long value = Long.parseLong(m.group(1));
    if (!ackedValues.add(value)) {
      duplicateAcks.incrementAndGet();
      duplicates.add("value " + value + " during " + ledger.current());
    }
    return null;
  }

  private static String request(Connection nc, String subject) throws InterruptedException {
    Message m;
    try {
      m = nc.request(subject, "soak".getBytes(StandardCharsets.UTF_8), TIMEOUT);
    } catch (IllegalStateException e) {
      return "client disconnected";
    }
    if (m == null) {
      return "no reply within " + TIMEOUT.toSeconds() + " s";
    }
    String body = new String(m.getData(), StandardCharsets.UTF_8);
    if (m.isStatusMessage()) {
      return "status " + m.getStatus().getCode();
    }
    return body.equals("reply: soak") ? null : "wrong reply " + shorten(body);
  }

  /** Error texts without ids and numbers, short, so equal causes are counted together. */
  static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String t = IDS.matcher(s).replaceAll("<id>").replaceAll("\\d+", "N").replace('\n', ' ');
    return t.length() > 90 ? t.substring(0, 90) + "..." : t;
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(15_000);
    }
    streams.forEach(Ledger.Stream::close);
  }
}
