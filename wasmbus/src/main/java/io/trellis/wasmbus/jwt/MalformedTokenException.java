package io.trellis.wasmbus.jwt;

import org.jspecify.annotations.Nullable;

/** Not three base64url segments, bad JSON, wrong header, or a missing required claim. */
public final class MalformedTokenException extends TokenException {
  private static final long serialVersionUID = 1L;

  public MalformedTokenException(String message) {
    super(message);
  }

  public MalformedTokenException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
