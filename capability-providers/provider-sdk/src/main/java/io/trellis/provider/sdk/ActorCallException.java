package io.trellis.provider.sdk;

import io.trellis.wasmbus.LatticeException;
import org.jspecify.annotations.Nullable;

/** A provider → actor call failed. The subtype says how, so callers can map it (e.g. to HTTP). */
public abstract sealed class ActorCallException extends LatticeException
    permits ActorCallException.NotLinked,
        ActorCallException.Unreachable,
        ActorCallException.Timeout,
        ActorCallException.ErrorResponse,
        ActorCallException.Failed {
  private static final long serialVersionUID = 1L;

  ActorCallException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** The actor has no link to this provider, so there is no contract/link to call it through. */
  public static final class NotLinked extends ActorCallException {
    private static final long serialVersionUID = 1L;

    public NotLinked(String message) {
      super(message, null);
    }
  }

  /** Nothing answers on the actor's subject (NATS "no responders"), or the connection is down. */
  public static final class Unreachable extends ActorCallException {
    private static final long serialVersionUID = 1L;

    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** No answer within the timeout. */
  public static final class Timeout extends ActorCallException {
    private static final long serialVersionUID = 1L;

    public Timeout(String message) {
      super(message, null);
    }
  }

  /**
   * The host or actor answered with an {@code InvocationResponse} error; the message is its text.
   */
  public static final class ErrorResponse extends ActorCallException {
    private static final long serialVersionUID = 1L;

    public ErrorResponse(String message) {
      super(message, null);
    }
  }

  /** Any other failure: chunk store, an undecodable answer. */
  public static final class Failed extends ActorCallException {
    private static final long serialVersionUID = 1L;

    public Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
