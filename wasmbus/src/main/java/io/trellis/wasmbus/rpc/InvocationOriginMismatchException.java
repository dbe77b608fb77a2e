package io.trellis.wasmbus.rpc;

/** The invocation's origin differs from the origin its token signed. */
public final class InvocationOriginMismatchException extends InvocationRejectedException {
  private static final long serialVersionUID = 1L;

  public InvocationOriginMismatchException(String message) {
    super(message);
  }
}
