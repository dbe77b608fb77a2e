package io.trellis.oci;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Bearer tokens by registry and scope, kept until shortly before they expire, so a warm start makes
 * one manifest request and no token request.
 */
final class TokenCache {
  /** A token is dropped this long before its stated expiry, so it never expires in flight. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private record Entry(String token, long expiresNanos) {}

  private final Map<String, Entry> tokens = new ConcurrentHashMap<>();

  public @Nullable String get(String registry, String scope) {
    Entry e = tokens.get(registry + " " + scope);
    if (e == null) {
      return null;
    }
    if (System.nanoTime() - e.expiresNanos >= 0) {
      tokens.remove(registry + " " + scope, e);
      return null;
    }
    return e.token;
  }

  public void put(String registry, String scope, String token, Duration lifetime) {
    Duration keep = lifetime.minus(MARGIN);
    if (keep.isNegative() || keep.isZero()) {
      return;
    }
    tokens.put(registry + " " + scope, new Entry(token, System.nanoTime() + keep.toNanos()));
  }

  public void invalidate(String registry, String scope) {
    tokens.remove(registry + " " + scope);
  }
}
