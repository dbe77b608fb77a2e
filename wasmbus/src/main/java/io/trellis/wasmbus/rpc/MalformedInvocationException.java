package io.trellis.wasmbus.rpc;

/** The bytes are not a decodable Invocation ("Failed to deserialize invocation"). */
public final class MalformedInvocationException extends InvocationRejectedException {
  private static final long serialVersionUID = 1L;

  public MalformedInvocationException(String message) {
    super(message);
  }
}
