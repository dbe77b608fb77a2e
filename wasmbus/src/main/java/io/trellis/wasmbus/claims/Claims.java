package io.trellis.wasmbus.claims;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A claims token body. {@code expires} and {@code notBefore} are unix seconds or null when absent.
 *
 * @param <T> what the token describes: an actor, a provider or an invocation
 */
public record Claims<T extends WascapMetadata>(
    @Nullable String jti,
    long issuedAt,
    String issuer,
    String subject,
    @Nullable Long expires,
    @Nullable Long notBefore,
    T metadata,
    @Nullable Integer wascapRevision) {

  /** The revision the host reports: {@code rev}, or {@code iat} when rev is missing or 0. */
  public long effectiveRevision() {
    Integer rev =
        switch (metadata) {
          case ActorMetadata a -> a.rev();
          case ProviderMetadata p -> p.rev();
          default -> null;
        };
    return rev == null || rev == 0 ? issuedAt : rev;
  }

  public String expiresHuman() {
    return expires == null ? "never" : Instant.ofEpochSecond(expires).toString();
  }

  public String notBeforeHuman() {
    return notBefore == null ? "immediately" : Instant.ofEpochSecond(notBefore).toString();
  }
}
