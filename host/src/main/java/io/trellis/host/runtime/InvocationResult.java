package io.trellis.host.runtime;

import java.util.Locale;

/**
 * The outcome of one guest call. Failures say what kind, so callers and metrics can tell them
 * apart.
 */
public sealed interface InvocationResult {

  record Success(byte[] payload) implements InvocationResult {}

  record Failure(Kind kind, String message) implements InvocationResult {}

  /** Why a call failed. */
  enum Kind {
    /** The guest returned an error through {@code __guest_error}. */
    GUEST_ERROR,
    /** The wasm trapped (unreachable, out-of-bounds, stack exhaustion, memory limit). */
    TRAP,
    /** The call ran longer than the call timeout and was interrupted. */
    TIMEOUT,
    /** Every instance was busy and the wait queue was full or timed out. */
    BUSY,
    /** The actor was stopped. */
    STOPPED,
    /** A fault in the host itself. */
    INTERNAL;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The metric tag, e.g. "timeout". */
    public String tag() {
      return tag;
    }
  }

  static InvocationResult success(byte[] payload) {
    return new Success(payload);
  }

  static InvocationResult failure(Kind kind, String message) {
    return new Failure(kind, message);
  }

  default boolean isSuccess() {
    return this instanceof Success;
  }
}
