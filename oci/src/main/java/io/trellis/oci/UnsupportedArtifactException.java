package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/**
 * The reference resolves to something that is not the wanted wasmCloud artifact (a container image,
 * an index without wasm, the other kind), or a file to push is neither kind.
 */
public final class UnsupportedArtifactException extends OciException {
  private static final long serialVersionUID = 1L;

  public UnsupportedArtifactException(String message) {
    super(message, null);
  }

  public UnsupportedArtifactException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
