package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/** A manifest or blob larger than the configured maximum. */
public final class ArtifactTooLargeException extends OciException {
  private static final long serialVersionUID = 1L;

  public ArtifactTooLargeException(String message) {
    super(message, null);
  }

  public ArtifactTooLargeException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
