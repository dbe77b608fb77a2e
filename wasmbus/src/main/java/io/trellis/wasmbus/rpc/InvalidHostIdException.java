package io.trellis.wasmbus.rpc;

/** The host_id field is neither a 56-character key nor an N key. */
public final class InvalidHostIdException extends InvocationRejectedException {
  private static final long serialVersionUID = 1L;

  public InvalidHostIdException(String message) {
    super(message);
  }
}
