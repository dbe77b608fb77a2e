package io.trellis.wasmbus.claims;

/** The type-specific {@code wascap} object of a claims token (PROTOCOL.md §2.2). */
public sealed interface WascapMetadata
    permits ActorMetadata, ProviderMetadata, InvocationMetadata {}
