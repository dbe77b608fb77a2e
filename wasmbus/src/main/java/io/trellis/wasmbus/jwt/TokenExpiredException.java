package io.trellis.wasmbus.jwt;

/** {@code exp} lies in the past (beyond the allowed clock skew). */
public final class TokenExpiredException extends TokenException {
  private static final long serialVersionUID = 1L;

  public TokenExpiredException(String message) {
    super(message);
  }
}
