package io.trellis.wasmbus.claims;

import org.jspecify.annotations.Nullable;

/** {@code wascap} of an invocation token (PROTOCOL.md §4.4). */
public record InvocationMetadata(
    @Nullable String targetUrl, @Nullable String originUrl, @Nullable String hash)
    implements WascapMetadata {}
