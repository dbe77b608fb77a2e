package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/**
 * The registry answered, but not as the distribution API says: an unexpected status or a malformed
 * manifest.
 */
public final class RegistryProtocolException extends OciException {
  private static final long serialVersionUID = 1L;

  public RegistryProtocolException(String message) {
    super(message, null);
  }

  public RegistryProtocolException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
