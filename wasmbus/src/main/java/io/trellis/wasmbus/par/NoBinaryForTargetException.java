package io.trellis.wasmbus.par;

/** The archive holds no binary for the requested (usually this host's) target. */
public final class NoBinaryForTargetException extends ProviderArchiveException {
  private static final long serialVersionUID = 1L;

  public NoBinaryForTargetException(String message) {
    super(message);
  }
}
