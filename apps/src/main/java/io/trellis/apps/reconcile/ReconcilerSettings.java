package io.trellis.apps.reconcile;

import java.time.Duration;

/**
 * Timings of the reconciler (docs/OPERATIONS.md, PROTOCOL.md §15.4 and §15.6).
 *
 * @param reconcileEvery a pass at least this often, events or not, so a missed event cannot leave
 *     an application wrong
 * @param resyncEvery how often every host's inventory and the links are read again
 * @param hostLostAfter a host that sends liveness signals is declared lost after this long without
 *     any sign of life (at least three of its own intervals)
 * @param silentHostLostAfter the same for hosts that send no liveness signal (heartbeats only)
 * @param actorWait how long a scale command may take to show before it is sent again
 * @param providerWait the same for provider starts (a process has to start)
 * @param pingWindow how long a new leader collects ping replies to find the hosts
 * @param debounce how long a pass waits after the first event, to take a burst at once
 */
public record ReconcilerSettings(
    Duration reconcileEvery,
    Duration resyncEvery,
    Duration hostLostAfter,
    Duration silentHostLostAfter,
    Duration actorWait,
    Duration providerWait,
    Duration pingWindow,
    Duration debounce) {

  public static ReconcilerSettings defaults() {
    return new ReconcilerSettings(
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofSeconds(7),
        Duration.ofSeconds(75),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(1),
        Duration.ofMillis(50));
  }

  public ReconcilerSettings withHostLostAfter(Duration d) {
    return new ReconcilerSettings(
        reconcileEvery,
        resyncEvery,
        d,
        silentHostLostAfter,
        actorWait,
        providerWait,
        pingWindow,
        debounce);
  }

  public ReconcilerSettings withReconcileEvery(Duration d) {
    return new ReconcilerSettings(
        d,
        resyncEvery,
        hostLostAfter,
        silentHostLostAfter,
        actorWait,
        providerWait,
        pingWindow,
        debounce);
  }
}
