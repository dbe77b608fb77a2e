package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/** The registry could not be reached: unknown host, connection refused, TLS failure, no answer. */
public final class RegistryUnreachableException extends OciException {
  private static final long serialVersionUID = 1L;

  public RegistryUnreachableException(String message) {
    super(message, null);
  }

  public RegistryUnreachableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
