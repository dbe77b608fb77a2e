package io.trellis.wasmbus.rpc;

/** A provider-originated call to an actor whose caps lack the provider's contract. */
public final class MissingCapabilityClaimException extends InvocationRejectedException {
  private static final long serialVersionUID = 1L;

  public MissingCapabilityClaimException(String message) {
    super(message);
  }
}
