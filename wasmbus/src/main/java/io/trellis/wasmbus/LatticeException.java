package io.trellis.wasmbus;

/**
 * Root of every exception Trellis throws on purpose. Subtypes name the exact failure so that
 * callers (and users reading a log line) can tell a bad key from a bad signature from a missing
 * link.
 */
public class LatticeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LatticeException(String message) {
    super(message);
  }

  public LatticeException(String message, Throwable cause) {
    super(message, cause);
  }
}
