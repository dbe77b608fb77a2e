package io.trellis.ctl.internal;

import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.ctl.CtlConnectException;
import io.trellis.ctl.CtlTimeoutException;
import io.trellis.ctl.NoRespondersException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * NATS request/reply and scatter/gather with the failure modes turned into the client's exceptions.
 * Works on connections the client opened (which report no-responders as a 503 status) and on
 * connections handed in by the caller (where jnats cancels the future instead).
 */
public final class Requester {
  /** jnats' message when a request future expires; any other cancellation is "no responders". */
  private static final String JNATS_TIMEOUT_TEXT = "not registered in time";

  private final Connection nc;
  private final String server;

  /**
   * @param server the server as users know it, for messages (e.g. nats://127.0.0.1:4222)
   */
  public Requester(Connection nc, String server) {
    this.nc = nc;
    this.server = server;
  }

  /**
   * Who a request is for, used in error messages.
   *
   * @param what the request, e.g. "inventory"
   * @param who the intended responder, e.g. "host N…" or "any host"
   * @param nobody what no-responders means here, e.g. "host N… is not in lattice 'default'"
   */
  public record Target(String what, String who, String nobody) {}

  public byte[] request(String subject, byte[] body, Duration timeout, Target t) {
    long started = System.nanoTime();
    try {
      Message m =
          nc.requestWithTimeout(subject, body, timeout)
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (m.isStatusMessage()) {
        if (m.getStatus().isNoResponders()) {
          throw noResponders(subject, t);
        }
        throw new CtlConnectException(
            "NATS answered "
                + t.what()
                + " on "
                + subject
                + " with status "
                + m.getStatus().getCode()
                + " "
                + m.getStatus().getMessage(),
            null);
      }
      return m.getData();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JetStreamStatusException s && s.getStatus().isNoResponders()) {
        throw noResponders(subject, t);
      }
      throw new CtlConnectException(
          t.what() + " request on " + subject + " failed: " + e.getCause(), e.getCause());
    } catch (CancellationException e) {
      // A borrowed connection without reportNoResponders cancels on 503 at once; a timeout
      // cancels with jnats' "not registered in time" text. Elapsed time breaks any tie.
      String text =
          String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      boolean expired =
          text.contains(JNATS_TIMEOUT_TEXT)
              || System.nanoTime() - started >= timeout.toNanos() * 9 / 10;
      throw expired ? timeout(t, timeout) : noResponders(subject, t);
    } catch (TimeoutException e) {
      throw timeout(t, timeout);
    } catch (IllegalStateException e) {
      throw closed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlConnectException("interrupted while waiting for " + t.what(), e);
    }
  }

  /**
   * Publishes once and collects replies until {@code window} passes or {@code max} replies came.
   * Returns at once, empty, when NATS reports that nobody subscribes.
   */
  public List<byte[]> gather(String subject, byte[] body, Duration window, int max) {
    List<byte[]> out = new ArrayList<>();
    Subscription sub;
    try {
      String inbox = nc.createInbox();
      sub = nc.subscribe(inbox);
      nc.publish(subject, inbox, body);
    } catch (IllegalStateException e) {
      throw closed(e);
    }
    try {
      long deadline = System.nanoTime() + window.toNanos();
      while (out.size() < max) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) {
          break;
        }
        // never pass 0: jnats treats a zero wait as "forever"
        Message m = sub.nextMessage(Duration.ofMillis(leftMs));
        if (m == null) {
          break;
        }
        if (m.isStatusMessage()) {
          if (m.getStatus().isNoResponders()) {
            break;
          }
          continue;
        }
        out.add(m.getData());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      throw closed(e);
    } finally {
      try {
        sub.unsubscribe();
      } catch (IllegalStateException e) {
        // connection closed meanwhile: nothing to clean up
      }
    }
    return out;
  }

  private CtlConnectException closed(IllegalStateException e) {
    return new CtlConnectException(
        "the NATS connection to "
            + server
            + " is "
            + nc.getStatus().name().toLowerCase(Locale.ROOT)
            + ": "
            + e.getMessage(),
        e);
  }

  private static CtlTimeoutException timeout(Target t, Duration timeout) {
    return new CtlTimeoutException(
        "no reply from " + t.who() + " to " + t.what() + " within " + timeout.toMillis() + " ms");
  }

  private static NoRespondersException noResponders(String subject, Target t) {
    return new NoRespondersException(
        t.nobody() + " (no responders for " + t.what() + " on " + subject + ")", subject);
  }
}
