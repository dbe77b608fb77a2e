package io.trellis.host.policy;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code host} of a policy request: the host that asks.
 *
 * @param publicKey the host id
 * @param issuer the cluster key
 * @param latticeId the lattice prefix
 * @param labels the labels now (they change at run time)
 * @param clusterIssuers the cluster issuers the host trusts
 */
public record PolicyHost(
    String publicKey,
    String issuer,
    String latticeId,
    Supplier<Map<String, String>> labels,
    List<String> clusterIssuers) {
  public PolicyHost {
    clusterIssuers = List.copyOf(clusterIssuers);
  }
}
