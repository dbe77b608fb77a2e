package io.trellis.host.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The server's decisions, bounded in size and time (OTP kept every decision forever): a decision is
 * asked again after the time to live, and the least used ones go first when the cache is full.
 * Request ids map to their keys for the changes topic, under the same bounds.
 */
final class PolicyCache {
  /**
   * A cached decision and the expiry of the source's claims when it was made.
   *
   * @param sourceExpiresAtMillis when the source's claims expire, or {@link Long#MAX_VALUE}
   */
  record Cached(PolicyDecision decision, long sourceExpiresAtMillis) {}

  private final @Nullable Cache<PolicyKey, Cached> decisions;
  private final @Nullable Cache<String, PolicyKey> keys;

  PolicyCache(long maxEntries, Duration ttl) {
    if (maxEntries <= 0) {
      decisions = null;
      keys = null;
      return;
    }
    decisions = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).build();
    keys = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).build();
  }

  @Nullable Cached get(PolicyKey key) {
    Cache<PolicyKey, Cached> d = decisions;
    return d == null ? null : d.getIfPresent(key);
  }

  void put(PolicyKey key, Cached cached) {
    Cache<PolicyKey, Cached> d = decisions;
    Cache<String, PolicyKey> k = keys;
    if (d != null && k != null) {
      d.put(key, cached);
      k.put(cached.decision().requestId(), key);
    }
  }

  /**
   * Replaces the decision a request id led to.
   *
   * @return false when the id is unknown or its decision is no longer cached
   */
  boolean replace(PolicyDecision change) {
    Cache<PolicyKey, Cached> d = decisions;
    Cache<String, PolicyKey> k = keys;
    PolicyKey key = k == null ? null : k.getIfPresent(change.requestId());
    if (d == null || key == null) {
      return false;
    }
    Cached old = d.getIfPresent(key);
    if (old == null) {
      return false;
    }
    d.put(key, new Cached(change, old.sourceExpiresAtMillis()));
    return true;
  }

  long size() {
    Cache<PolicyKey, Cached> d = decisions;
    return d == null ? 0 : d.estimatedSize();
  }
}
