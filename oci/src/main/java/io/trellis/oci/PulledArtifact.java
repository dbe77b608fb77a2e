package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/**
 * A pulled actor module or provider archive, verified against its digest.
 *
 * @param reference what was asked for
 * @param manifestDigest the digest of the image manifest the reference resolved to
 * @param layerDigest the digest of the artifact bytes
 * @param kind what the manifest says it is (for an OCI tar layer: what the config type or the bytes
 *     say)
 * @param bytes the module or archive
 * @param source where the bytes came from
 * @param warning set when the registry could not be asked and the cache answered instead
 */
public record PulledArtifact(
    OciReference reference,
    String manifestDigest,
    String layerDigest,
    ArtifactKind kind,
    byte[] bytes,
    Source source,
    @Nullable String warning) {

  /** Where a pull's bytes came from. */
  public enum Source {
    /** Downloaded now. */
    REGISTRY,
    /** From the cache; the registry confirmed the tag still points there, or a digest was given. */
    CACHE,
    /** From the cache because the registry could not be reached; see {@link #warning}. */
    CACHE_OFFLINE
  }

  /** {@code reference@digest}: the exact artifact, for logs and events. */
  public String pinnedReference() {
    return reference.withDigest(manifestDigest).toString();
  }
}
