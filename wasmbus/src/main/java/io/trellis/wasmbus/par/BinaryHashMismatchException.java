package io.trellis.wasmbus.par;

/** A {@code <target>.bin} whose SHA-256 differs from {@code target_hashes[target]}, or has none. */
public final class BinaryHashMismatchException extends ProviderArchiveException {
  private static final long serialVersionUID = 1L;
  private final String target;

  public BinaryHashMismatchException(String target, String message) {
    super(message);
    this.target = target;
  }

  public String target() {
    return target;
  }
}
