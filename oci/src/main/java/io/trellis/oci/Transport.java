package io.trellis.oci;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What the sessions of one client share: the HTTP client (its connections are kept alive between
 * pulls), cached tokens, the challenge each registry answered with last, and the watchdog that cuts
 * off a response body at the deadline.
 */
final class Transport implements AutoCloseable {
  private final HttpClient http;
  private final OciOptions options;
  private final CredentialSource credentials;
  private final TokenCache tokens = new TokenCache();
  private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchdog;

  public Transport(OciOptions options, CredentialSource credentials) {
    this.options = options;
    this.credentials = credentials;
    // Redirects are followed by hand: Authorization must not travel to another host.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(options.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "trellis-oci-deadline");
              t.setDaemon(true);
              return t;
            });
  }

  public Session session(OciReference ref, Session.Action action, Deadline deadline) {
    return new Session(this, ref, action, deadline, credentials.lookup(ref));
  }

  HttpClient http() {
    return http;
  }

  public OciOptions options() {
    return options;
  }

  TokenCache tokens() {
    return tokens;
  }

  Map<String, Challenge> challenges() {
    return challenges;
  }

  /** Closes {@code in} when {@code after} has passed; {@link Watch#fired} tells whether it did. */
  Watch watch(InputStream in, Duration after) {
    Watch w = new Watch(in);
    w.future = watchdog.schedule(w::fire, after.toNanos(), TimeUnit.NANOSECONDS);
    return w;
  }

  /** A scheduled close of a response body. */
  static final class Watch implements Closeable {
    private final InputStream in;
    private volatile boolean fired;
    private volatile @Nullable ScheduledFuture<?> future;

    Watch(InputStream in) {
      this.in = in;
    }

    private void fire() {
      fired = true;
      try {
        in.close();
      } catch (IOException ignored) {
        // closing is how the read is cut off; an error here changes nothing
      }
    }

    boolean fired() {
      return fired;
    }

    @Override
    public void close() {
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
    }
  }

  /** Cancels what is in flight: a host that stops must not wait for a stalled registry. */
  @Override
  public void close() {
    watchdog.shutdownNow();
    http.shutdownNow();
  }
}
