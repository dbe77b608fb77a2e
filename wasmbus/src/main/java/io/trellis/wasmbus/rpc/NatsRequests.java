package io.trellis.wasmbus.rpc;

import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.trellis.wasmbus.rpc.RequestFailure.BadReply;
import io.trellis.wasmbus.rpc.RequestFailure.Cancelled;
import io.trellis.wasmbus.rpc.RequestFailure.ConnectionLost;
import io.trellis.wasmbus.rpc.RequestFailure.Failed;
import io.trellis.wasmbus.rpc.RequestFailure.NoResponders;
import io.trellis.wasmbus.rpc.RequestFailure.TimedOut;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * NATS request/reply with every way it can end named: the one place that reads jnats' futures,
 * exceptions and status replies. Works on connections with {@code reportNoResponders()} (a 503
 * fails the future) and without (jnats cancels the future at once).
 */
public final class NatsRequests {
  private static final int NO_RESPONDERS = 503;

  private NatsRequests() {}

  /** Sends {@code body} to {@code subject} and waits up to {@code timeout} for one reply. */
  public static RequestOutcome request(
      Connection connection, String subject, byte[] body, Duration timeout) {
    try {
      return new RequestOutcome.Replied(exchange(connection, subject, body, timeout));
    } catch (Unanswered e) {
      return e.failure;
    }
  }

  /**
   * The reply to one request, never a status message. Failures are thrown rather than returned so
   * that an answered call, the invocation hot path, allocates no outcome object.
   */
  static Message exchange(Connection connection, String subject, byte[] body, Duration wait)
      throws Unanswered {
    return exchange(connection, subject, null, body, wait);
  }

  /** {@link #exchange} with NATS headers (null: none, the request is sent without any). */
  static Message exchange(
      Connection connection, String subject, @Nullable Headers headers, byte[] body, Duration wait)
      throws Unanswered {
    CompletableFuture<Message> future;
    try {
      // with the wait as the future's own expiry, jnats' cleanup never cancels it early
      future =
          headers == null
              ? connection.requestWithTimeout(subject, body, wait)
              : connection.requestWithTimeout(subject, headers, body, wait);
    } catch (IllegalStateException e) {
      // closed or draining; jnats says which
      throw new Unanswered(new ConnectionLost(connection.getStatus(), e.getMessage()));
    }
    Message reply;
    try {
      reply = future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new Unanswered(new Cancelled());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new Unanswered(expired(connection, wait));
    } catch (ExecutionException e) {
      throw new Unanswered(failed(connection, e.getCause(), wait));
    } catch (CancellationException e) {
      throw new Unanswered(cancelled(connection, future, wait));
    }
    if (reply.isStatusMessage()) {
      throw new Unanswered(
          reply.getStatus().getCode() == NO_RESPONDERS
              ? new NoResponders()
              : new BadReply(
                  "NATS answered with status "
                      + reply.getStatus().getCode()
                      + " "
                      + reply.getStatus().getMessage(),
                  null));
    }
    return reply;
  }

  /** A wait that ran out: a timeout, unless the connection went away meanwhile. */
  private static RequestFailure expired(Connection connection, Duration wait) {
    Connection.Status status = connection.getStatus();
    return status == Connection.Status.CONNECTED
        ? new TimedOut(wait)
        : new ConnectionLost(status, "no reply within " + wait.toMillis() + " ms");
  }

  private static RequestFailure failed(Connection connection, Throwable cause, Duration wait) {
    if (cause instanceof JetStreamStatusException s
        && s.getStatus() != null
        && s.getStatus().getCode() == NO_RESPONDERS) {
      return new NoResponders();
    }
    if (cause instanceof TimeoutException) {
      // jnats' cleanup expired the future (Options.useTimeoutException)
      return expired(connection, wait);
    }
    return new Failed(String.valueOf(cause), cause);
  }

  /**
   * jnats cancels a request future when the connection closes, when its own expiry passes, and (on
   * a connection without reportNoResponders) at once on a 503.
   */
  private static RequestFailure cancelled(
      Connection connection, CompletableFuture<Message> future, Duration wait) {
    if (future instanceof NatsRequestCompletableFuture f) {
      if (f.wasCancelledClosing()) {
        // the status may not read CLOSED yet: close() cancels the futures first
        return new ConnectionLost(Connection.Status.CLOSED, "no reply before it closed");
      }
      if (f.wasCancelledTimedOut()) {
        return expired(connection, wait);
      }
    }
    return connection.getOptions().isReportNoResponders() ? new Cancelled() : new NoResponders();
  }

  /** Carries a failure out of {@link #exchange}; no stack trace, it never leaves this package. */
  static final class Unanswered extends Exception {
    private static final long serialVersionUID = 1L;

    final transient RequestFailure failure;

    Unanswered(RequestFailure failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }
}
