package io.trellis.host.runtime;

/** Why a lease could not be had; the message is ready for the caller. */
final class InstanceUnavailable extends Exception {
  private static final long serialVersionUID = 1L;
  private final InvocationResult.Kind kind;

  InstanceUnavailable(String message, InvocationResult.Kind kind) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public InvocationResult.Kind kind() {
    return kind;
  }
}
