package io.trellis.wasmbus.rpc;

/** The invocation token is malformed, badly signed, expired or not yet valid. */
public final class AntiForgeryException extends InvocationRejectedException {
  private static final long serialVersionUID = 1L;

  public AntiForgeryException(String message) {
    super(message);
  }
}
