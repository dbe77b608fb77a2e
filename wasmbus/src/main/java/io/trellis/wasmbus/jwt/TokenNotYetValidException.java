package io.trellis.wasmbus.jwt;

/** {@code nbf} lies in the future (beyond the allowed clock skew). */
public final class TokenNotYetValidException extends TokenException {
  private static final long serialVersionUID = 1L;

  public TokenNotYetValidException(String message) {
    super(message);
  }
}
