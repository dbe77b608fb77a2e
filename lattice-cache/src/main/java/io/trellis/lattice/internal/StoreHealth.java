package io.trellis.lattice.internal;

/**
 * Whether the last JetStream request for this bucket (write, probe, watch setup) succeeded, and why
 * not. Feeds {@code isStoreReachable()} and makes failures visible in logs and messages.
 */
final class StoreHealth {
  private volatile String lastFailure;

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
  String lastFailure() {
    return lastFailure;
  }
}
