package io.trellis.wasmbus.rpc;

/** The invocation is addressed to another entity than its token, or than the receiver. */
public final class InvocationTargetMismatchException extends InvocationRejectedException {
  private static final long serialVersionUID = 1L;

  public InvocationTargetMismatchException(String message) {
    super(message);
  }
}
