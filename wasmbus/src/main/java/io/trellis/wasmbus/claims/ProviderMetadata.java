package io.trellis.wasmbus.claims;

import java.util.Map;
import java.util.TreeMap;

/** {@code wascap} of a capability provider archive ({@code claims.jwt} in a PAR). */
public record ProviderMetadata(
    String name,
    String capabilityContractId,
    String vendor,
    Integer rev,
    String ver,
    Map<String, String> targetHashes,
    String configSchema)
    implements WascapMetadata {

  public ProviderMetadata {
    targetHashes = targetHashes == null ? Map.of() : new TreeMap<>(targetHashes);
  }
}
