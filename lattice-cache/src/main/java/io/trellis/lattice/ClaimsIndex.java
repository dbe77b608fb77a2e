package io.trellis.lattice;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Claims by public key, and the call-alias table built from them (PROTOCOL.md §9.3): an alias
 * longer than one character maps to the first claims that carried it and is never replaced while
 * those claims still carry it. When the owner's claims are deleted or drop the alias, the alias is
 * free again for the next claims written, so the table never points at an entity the lattice
 * forgot.
 *
 * <p>Not thread-safe by itself; see {@link LatticeView}.
 */
final class ClaimsIndex {
  private final Cache<String, ClaimsRecord> byKey = Caffeine.newBuilder().build();
  private final Map<String, String> aliases = new HashMap<>();

  List<LatticeEvent> put(ClaimsRecord claims) {
    String pk = claims.subject();
    ClaimsRecord old = byKey.getIfPresent(pk);
    if (old != null && !alias(old).equals(alias(claims))) {
      aliases.remove(alias(old), pk);
    }
    byKey.put(pk, claims);
    String alias = alias(claims);
    if (alias.length() > 1) {
      aliases.putIfAbsent(alias, pk);
    }
    return List.of(new LatticeEvent.ClaimsPut(claims));
  }

  List<LatticeEvent> remove(String publicKey) {
    ClaimsRecord old = byKey.getIfPresent(publicKey);
    if (old == null) {
      return List.of();
    }
    byKey.invalidate(publicKey);
    aliases.remove(alias(old), publicKey);
    return List.of(new LatticeEvent.ClaimsDeleted(publicKey));
  }

  Optional<ClaimsRecord> get(String publicKey) {
    return Optional.ofNullable(byKey.getIfPresent(publicKey));
  }

  List<ClaimsRecord> all() {
    return List.copyOf(byKey.asMap().values());
  }

  Optional<String> resolveAlias(String alias) {
    return alias == null || alias.length() <= 1
        ? Optional.empty()
        : Optional.ofNullable(aliases.get(alias));
  }

  private static String alias(ClaimsRecord c) {
    return c.callAlias() == null ? "" : c.callAlias();
  }
}
