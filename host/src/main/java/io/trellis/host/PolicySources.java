package io.trellis.host;

import io.trellis.host.ctl.ControlledHost;
import io.trellis.host.policy.ClaimsLookup;
import io.trellis.host.policy.PolicySource;
import io.trellis.host.runtime.Actor;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ProviderMetadata;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a policy request says about an invocation's caller: full claims (with {@code iat} and {@code
 * exp}) for an actor or provider running on this host, else its {@code CLAIMS_*} record from the
 * lattice (which carries no times, as OTP's did), else nothing.
 */
final class PolicySources implements ClaimsLookup {
  private final ControlledHost host;

  PolicySources(ControlledHost host) {
    this.host = host;
  }

  @Override
  public @Nullable PolicySource source(WasmCloudEntity origin) {
    String pk = origin.publicKey();
    Actor actor = host.actors() == null ? null : host.actors().find(pk);
    if (actor != null) {
      Claims<ActorMetadata> c = actor.module().claims();
      return source(origin, c.metadata().capsOrEmpty(), c.issuer(), c.issuedAt(), c.expires());
    }
    Optional<Claims<ProviderMetadata>> provider =
        host.providers() == null ? Optional.empty() : host.providers().claims(pk);
    if (provider.isPresent()) {
      Claims<ProviderMetadata> c = provider.get();
      return source(origin, List.of(), c.issuer(), c.issuedAt(), c.expires());
    }
    Optional<ClaimsRecord> known = host.lattice().claims(pk);
    if (known.isPresent()) {
      return source(origin, known.get().capsList(), known.get().issuer(), null, null);
    }
    return null;
  }

  private static PolicySource source(
      WasmCloudEntity o,
      List<String> caps,
      String issuer,
      @Nullable Long issuedAt,
      @Nullable Long expires) {
    return new PolicySource(
        o.publicKey(), o.contractId(), o.linkName(), caps, issuer, issuedAt, expires);
  }
}
