package io.trellis.wasmbus.claims;

/** {@code wascap} of an invocation token (PROTOCOL.md §4.4). */
public record InvocationMetadata(String targetUrl, String originUrl, String hash)
    implements WascapMetadata {}
