package io.trellis.host.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code source} of a policy request: who acts. For start actions it is OTP's placeholder
 * (empty strings); for invocations it is the caller and its claims as far as they are known.
 *
 * @param publicKey the caller's key ("" for start actions)
 * @param contractId the caller's contract id ("" for actors and start actions)
 * @param linkName the caller's link name ("" for actors and start actions)
 * @param capabilities the caller's capability claims
 * @param issuer the account that signed the caller's claims, or "" when unknown
 * @param issuedOn the claims' {@code iat} in unix seconds, or null when unknown
 * @param expiresAt the claims' {@code exp} in unix seconds, or null when they never expire or it is
 *     unknown
 */
public record PolicySource(
    String publicKey,
    String contractId,
    String linkName,
    List<String> capabilities,
    String issuer,
    @Nullable Long issuedOn,
    @Nullable Long expiresAt) {
  public PolicySource {
    capabilities = List.copyOf(capabilities);
  }

  /** OTP's source for start actions: nobody in particular. */
  public static PolicySource placeholder() {
    return new PolicySource("", "", "", List.of(), "", null, null);
  }

  /** True when the claims have an expiry and it has passed at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    Long exp = expiresAt;
    return exp != null && nowMillis > exp * 1000;
  }
}
