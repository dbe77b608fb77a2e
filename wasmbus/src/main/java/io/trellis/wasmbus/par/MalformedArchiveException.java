package io.trellis.wasmbus.par;

/** The bytes are not a (gzipped) tar archive, or an entry in it is unreadable or too large. */
public final class MalformedArchiveException extends ProviderArchiveException {
  private static final long serialVersionUID = 1L;

  public MalformedArchiveException(String message) {
    super(message);
  }

  public MalformedArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
