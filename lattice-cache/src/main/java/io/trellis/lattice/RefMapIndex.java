package io.trellis.lattice;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.trellis.wasmbus.lattice.RefMap;
import java.util.List;
import java.util.Optional;

/**
 * Image reference → public key. A deleted refmap just disappears (there is no event for it: OTP
 * hosts never delete refmaps and nothing in the host reacts to one going away).
 *
 * <p>Not thread-safe by itself; see {@link LatticeView}.
 */
final class RefMapIndex {
  private final Cache<String, RefMap> byRef = Caffeine.newBuilder().build();

  List<LatticeEvent> put(RefMap refMap) {
    byRef.put(refMap.ociUrl(), refMap);
    return List.of(new LatticeEvent.RefMapPut(refMap));
  }

  void remove(String ociUrl) {
    byRef.invalidate(ociUrl);
  }

  Optional<RefMap> get(String ociUrl) {
    return Optional.ofNullable(byRef.getIfPresent(ociUrl));
  }

  List<RefMap> all() {
    return List.copyOf(byRef.asMap().values());
  }
}
