package io.trellis.wasmbus;

import org.jspecify.annotations.Nullable;

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

  public LatticeException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Never null: every constructor takes a message. */
  @Override
  public String getMessage() {
    String m = super.getMessage();
    return m == null ? "" : m;
  }
}
