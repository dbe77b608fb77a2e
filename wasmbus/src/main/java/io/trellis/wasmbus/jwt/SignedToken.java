package io.trellis.wasmbus.jwt;

/**
 * A decoded but not yet trusted token. {@code signingInputLength} marks where the signature segment
 * starts, so verification uses the exact bytes that were signed.
 */
public record SignedToken(
    String encoded, byte[] claimsJson, byte[] signature, int signingInputLength) {}
