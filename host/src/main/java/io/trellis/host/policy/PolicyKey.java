package io.trellis.host.policy;

import org.jspecify.annotations.Nullable;

/**
 * What a decision is cached under: the action and who acts on what. OTP keyed on the whole source
 * and target maps; those hold nothing else that identifies a party (a start action's placeholder
 * source changes every call, which made OTP never reuse a start decision).
 */
record PolicyKey(
    PolicyAction action,
    String sourceKey,
    String sourceContract,
    String sourceLink,
    String targetKey,
    String targetIssuer,
    @Nullable String targetContract,
    @Nullable String targetLink) {

  static PolicyKey of(PolicyAction action, PolicySource s, PolicyTarget t) {
    return new PolicyKey(
        action,
        s.publicKey(),
        s.contractId(),
        s.linkName(),
        t.publicKey(),
        t.issuer(),
        t.contractId(),
        t.linkName());
  }
}
