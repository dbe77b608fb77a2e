package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/** A reference that is not a valid OCI reference, or one the settings forbid (`:latest`). */
public final class InvalidReferenceException extends OciException {
  private static final long serialVersionUID = 1L;

  public InvalidReferenceException(String message) {
    super(message, null);
  }

  public InvalidReferenceException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
