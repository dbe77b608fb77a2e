package io.trellis.wasmbus.jwt;

/** The Ed25519 signature does not verify against the issuer named in the token. */
public final class InvalidSignatureException extends TokenException {
  private static final long serialVersionUID = 1L;

  public InvalidSignatureException(String message) {
    super(message);
  }
}
