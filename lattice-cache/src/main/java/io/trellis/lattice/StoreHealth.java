package io.trellis.lattice;

import org.jspecify.annotations.Nullable;

/**
 * Whether the last JetStream request for this bucket (write, probe, watch setup) succeeded, and why
 * not. Feeds {@code isStoreReachable()} and makes failures visible in logs and messages.
 */
final class StoreHealth {
  private volatile @Nullable String lastFailure;

  void ok() {
    lastFailure = null;
  }

  void failed(String reason) {
    lastFailure = reason;
  }

  boolean isOk() {
    return lastFailure == null;
  }

  /** Why the last request failed, or null. */
  @Nullable String lastFailure() {
    return lastFailure;
  }
}
