package io.trellis.host.ctl;

import io.trellis.wasmbus.LatticeException;

/** A reference that cannot be fetched; the message names the reference and why. */
public final class ArtifactException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public ArtifactException(String message) {
    super(message);
  }

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
