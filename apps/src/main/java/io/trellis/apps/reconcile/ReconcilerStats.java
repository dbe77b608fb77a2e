package io.trellis.apps.reconcile;

import io.trellis.apps.StatusType;
import java.util.EnumMap;
import java.util.Map;

/**
 * What one reconciler has done since it started, for metrics (read at scrape time, off the
 * reconciler's thread). Only a leading reconciler plans, so a follower reports zero applications.
 *
 * @param leader whether it holds the lease now
 * @param passes reconciliation passes run
 * @param commandsSent ctl commands sent to hosts (scale, start, stop, links)
 * @param commandsAccepted of those, the ones a host accepted
 * @param apps applications per status as of the last pass (every status present, 0 when none)
 */
public record ReconcilerStats(
    boolean leader,
    long passes,
    long commandsSent,
    long commandsAccepted,
    Map<StatusType, Integer> apps) {
  public ReconcilerStats {
    EnumMap<StatusType, Integer> all = new EnumMap<>(StatusType.class);
    for (StatusType t : StatusType.values()) {
      all.put(t, apps.getOrDefault(t, 0));
    }
    apps = Map.copyOf(all);
  }
}
