package io.trellis.oci;

/**
 * A finished push.
 *
 * @param reference where it went
 * @param kind what was pushed
 * @param manifestDigest the digest of the manifest (what {@code @sha256:} references name)
 * @param manifest the manifest bytes as uploaded
 */
public record PushResult(
    OciReference reference, ArtifactKind kind, String manifestDigest, byte[] manifest) {}
