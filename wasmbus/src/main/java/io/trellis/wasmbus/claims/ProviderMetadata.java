package io.trellis.wasmbus.claims;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** {@code wascap} of a capability provider archive ({@code claims.jwt} in a PAR). */
public record ProviderMetadata(
    @Nullable String name,
    String capabilityContractId,
    @Nullable String vendor,
    @Nullable Integer rev,
    @Nullable String ver,
    Map<String, String> targetHashes,
    @Nullable String configSchema)
    implements WascapMetadata {

  public ProviderMetadata {
    targetHashes = targetHashes == null ? Map.of() : new TreeMap<>(targetHashes);
  }
}
