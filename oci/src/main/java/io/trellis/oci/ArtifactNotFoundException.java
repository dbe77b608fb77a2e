package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/** The registry has no such tag, digest or blob (404). */
public final class ArtifactNotFoundException extends OciException {
  private static final long serialVersionUID = 1L;

  public ArtifactNotFoundException(String message) {
    super(message, null);
  }

  public ArtifactNotFoundException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
