package io.trellis.wasmbus.par;

/** The archive has no {@code claims.jwt} entry. */
public final class MissingArchiveClaimsException extends ProviderArchiveException {
  private static final long serialVersionUID = 1L;

  public MissingArchiveClaimsException(String message) {
    super(message);
  }
}
