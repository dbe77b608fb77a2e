package io.trellis.wasmbus.rpc;

/** The payload, operation or endpoints differ from what the token signed. */
public final class InvocationHashMismatchException extends InvocationRejectedException {
  private static final long serialVersionUID = 1L;

  public InvocationHashMismatchException(String message) {
    super(message);
  }
}
