package io.trellis.wasmbus.jwt;

/**
 * A decoded but not yet trusted token. {@code signingInputLength} marks where the signature segment
 * starts, and {@code ascii} holds the token's bytes, so verification uses the exact bytes that were
 * signed without copying them again.
 */
public record SignedToken(
    String encoded, byte[] claimsJson, byte[] signature, int signingInputLength, byte[] ascii) {}
