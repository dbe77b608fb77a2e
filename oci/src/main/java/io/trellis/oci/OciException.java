package io.trellis.oci;

import io.trellis.wasmbus.LatticeException;
import org.jspecify.annotations.Nullable;

/**
 * A pull or push that failed. The message names the reference and the cause; subtypes say which
 * kind of failure it was, so callers can tell a registry that is down (start from the cache) from
 * one that refused us.
 */
public abstract sealed class OciException extends LatticeException
    permits InvalidReferenceException,
        RegistryUnreachableException,
        RegistryAuthException,
        ArtifactNotFoundException,
        UnsupportedArtifactException,
        DigestMismatchException,
        ArtifactTooLargeException,
        PullTimeoutException,
        RegistryProtocolException,
        OciCacheException {
  private static final long serialVersionUID = 1L;

  protected OciException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
