package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/** Bytes that do not hash to the digest they were asked for by: a corrupt or lying registry. */
public final class DigestMismatchException extends OciException {
  private static final long serialVersionUID = 1L;

  public DigestMismatchException(String message) {
    super(message, null);
  }

  public DigestMismatchException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
