package io.trellis.wasmbus.rpc;

import io.nats.client.Connection;
import java.time.Duration;
import java.util.Locale;

/**
 * The ways a lattice request can end without a usable answer. {@link NatsRequests} is the one place
 * that decides which of them happened (from jnats' futures, exceptions and statuses); every caller
 * turns them into its own errors: the host into texts for the calling actor, the provider SDK into
 * {@code ActorCallException}s, the ctl client into {@code CtlException}s.
 */
public sealed interface RequestFailure extends RequestOutcome, InvocationOutcome {

  /** NATS answered "503 no responders": nobody subscribes to the subject. Reported at once. */
  record NoResponders() implements RequestFailure {}

  /** Somebody may be subscribed, but no answer came within {@code waited}. */
  record TimedOut(Duration waited) implements RequestFailure {}

  /**
   * The connection was closed, draining or disconnected, before the request could be sent or while
   * it waited. {@code detail} is jnats' explanation, or null.
   */
  record ConnectionLost(Connection.Status status, String detail) implements RequestFailure {
    /** e.g. {@code closed: Connection is Closed}, to follow "the NATS connection is ". */
    public String describe() {
      String state = status == null ? "unavailable" : status.name().toLowerCase(Locale.ROOT);
      return detail == null ? state : state + ": " + detail;
    }
  }

  /**
   * The waiting thread was interrupted (its interrupt flag is set again), or the request was
   * cancelled by somebody else.
   */
  record Cancelled() implements RequestFailure {}

  /**
   * The request could not be sent or failed in a way NATS does not name (e.g. the object store
   * refused a large payload); {@code message} says why.
   */
  record Failed(String message, Throwable cause) implements RequestFailure {}

  /**
   * An answer came but cannot be used: it is not an {@link InvocationResponse}, its chunked body
   * could not be fetched, or NATS answered with a status other than 503; {@code message} says
   * which.
   */
  record BadReply(String message, Throwable cause) implements RequestFailure {}
}
