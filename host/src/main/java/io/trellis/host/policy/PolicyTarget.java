package io.trellis.host.policy;

import org.jspecify.annotations.Nullable;

/**
 * The {@code target} of a policy request: the actor or provider to start, or the actor invoked.
 *
 * @param publicKey its key
 * @param issuer the account that signed its claims
 * @param contractId a provider's contract id; null for an actor start, "" for an invoked actor
 * @param linkName a provider's link name; null for an actor start, "" for an invoked actor
 */
public record PolicyTarget(
    String publicKey, String issuer, @Nullable String contractId, @Nullable String linkName) {

  public static PolicyTarget actor(String publicKey, String issuer) {
    return new PolicyTarget(publicKey, issuer, null, null);
  }

  public static PolicyTarget provider(
      String publicKey, String issuer, String contractId, String linkName) {
    return new PolicyTarget(publicKey, issuer, contractId, linkName);
  }
}
