package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/** The local cache directory cannot be used (permissions, a full disk). */
public final class OciCacheException extends OciException {
  private static final long serialVersionUID = 1L;

  public OciCacheException(String message) {
    super(message, null);
  }

  public OciCacheException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
