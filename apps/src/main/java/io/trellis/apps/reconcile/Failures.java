package io.trellis.apps.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Start failures by host and image, from start-failed events and refused commands. A host where an
 * image failed is skipped for a while (5 s, doubling up to 60 s), so placement tries the other
 * eligible hosts first, and the status shows the host's error until the scaler is satisfied.
 */
final class Failures {
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  record Failure(String hostId, String image, String error, Instant at, int attempts) {
    Instant retryAt() {
      long factor = 1L << Math.min(attempts - 1, 10);
      Duration d = FIRST_BACKOFF.multipliedBy(factor);
      return at.plus(d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d);
    }
  }

  private final Map<String, Failure> byHostImage = new ConcurrentHashMap<>();

  private static String key(String hostId, String image) {
    return hostId + "|" + image;
  }

  void record(String hostId, String image, String error, Instant at) {
    byHostImage.compute(
        key(hostId, image),
        (k, old) -> new Failure(hostId, image, error, at, old == null ? 1 : old.attempts() + 1));
  }

  boolean inBackoff(String hostId, String image, Instant now) {
    Failure f = byHostImage.get(key(hostId, image));
    return f != null && now.isBefore(f.retryAt());
  }

  List<Failure> forImage(String image) {
    return byHostImage.values().stream().filter(f -> f.image().equals(image)).toList();
  }

  /** Forgets the failures of an image (its scaler is satisfied). */
  void clear(String image) {
    byHostImage.values().removeIf(f -> f.image().equals(image));
  }

  void forgetHost(String hostId) {
    byHostImage.values().removeIf(f -> f.hostId().equals(hostId));
  }

  void clearAll() {
    byHostImage.clear();
  }
}
