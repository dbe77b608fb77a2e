package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/**
 * A pull or push that did not finish within its overall deadline (a stalled or trickling registry).
 */
public final class PullTimeoutException extends OciException {
  private static final long serialVersionUID = 1L;

  public PullTimeoutException(String message) {
    super(message, null);
  }

  public PullTimeoutException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
