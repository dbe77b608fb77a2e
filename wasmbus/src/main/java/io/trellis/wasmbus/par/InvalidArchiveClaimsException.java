package io.trellis.wasmbus.par;

/**
 * {@code claims.jwt} is malformed, not provider claims, badly signed, expired or not yet valid. The
 * cause is the {@link io.trellis.wasmbus.jwt.TokenException} or key error that was found.
 */
public final class InvalidArchiveClaimsException extends ProviderArchiveException {
  private static final long serialVersionUID = 1L;

  public InvalidArchiveClaimsException(String message, Throwable cause) {
    super(message, cause);
  }

  public InvalidArchiveClaimsException(String message) {
    super(message);
  }
}
