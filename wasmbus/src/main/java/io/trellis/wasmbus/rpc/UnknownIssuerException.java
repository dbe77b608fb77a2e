package io.trellis.wasmbus.rpc;

/** The token is signed by a key that is not among this host's cluster issuers. */
public final class UnknownIssuerException extends InvocationRejectedException {
  private static final long serialVersionUID = 1L;

  public UnknownIssuerException(String message) {
    super(message);
  }
}
