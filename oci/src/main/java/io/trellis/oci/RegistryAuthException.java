package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/** The registry (or its token service) refused us: 401 or 403, with or without credentials. */
public final class RegistryAuthException extends OciException {
  private static final long serialVersionUID = 1L;

  public RegistryAuthException(String message) {
    super(message, null);
  }

  public RegistryAuthException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
