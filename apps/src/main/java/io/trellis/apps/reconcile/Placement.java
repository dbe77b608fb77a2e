package io.trellis.apps.reconcile;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Where instances go within a spread (PROTOCOL.md §15.4): new ones to the least-loaded eligible
 * hosts, one at a time, so they spread evenly instead of landing on the first host found (wadm's
 * behaviour); removals from the most-loaded. Load is first the group's own instances on the host,
 * then everything the host runs, then a stable hash of the host id.
 */
public final class Placement {
  private Placement() {}

  /**
   * A host that can take instances of a group.
   *
   * @param current the group's instances there now (or already asked for)
   * @param load everything the host runs (instances and providers)
   */
  public record Slot(String hostId, int current, int load) {}

  /** Adds {@code n} instances; returns the new count for every host that changes. */
  public static Map<String, Integer> add(List<Slot> hosts, int n) {
    return spread(hosts, n, true);
  }

  /** Removes {@code n} instances; returns the new count for every host that changes. */
  public static Map<String, Integer> remove(List<Slot> hosts, int n) {
    return spread(hosts.stream().filter(s -> s.current() > 0).toList(), n, false);
  }

  private static Map<String, Integer> spread(List<Slot> hosts, int n, boolean up) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (hosts.isEmpty() || n <= 0) {
      return out;
    }
    Map<String, int[]> state = new HashMap<>();
    Comparator<Slot> order =
        Comparator.<Slot>comparingInt(s -> state.get(s.hostId())[0])
            .thenComparingInt(s -> state.get(s.hostId())[1])
            .thenComparingInt(s -> SpreadMath.mix(s.hostId()));
    PriorityQueue<Slot> q = new PriorityQueue<>(up ? order : order.reversed());
    for (Slot s : hosts) {
      state.put(s.hostId(), new int[] {s.current(), s.load()});
      q.add(s);
    }
    for (int i = 0; i < n && !q.isEmpty(); i++) {
      Slot s = q.poll();
      int[] st = state.get(s.hostId());
      int delta = up ? 1 : -1;
      st[0] += delta;
      st[1] += delta;
      out.put(s.hostId(), st[0]);
      if (up || st[0] > 0) {
        q.add(s);
      }
    }
    return out;
  }

  /** The {@code n} least-loaded slots (for providers: at most one per host). */
  public static List<Slot> leastLoaded(List<Slot> hosts, int n) {
    return hosts.stream()
        .sorted(
            Comparator.comparingInt(Slot::load).thenComparingInt(s -> SpreadMath.mix(s.hostId())))
        .limit(Math.max(0, n))
        .toList();
  }

  /** The {@code n} most-loaded slots. */
  public static List<Slot> mostLoaded(List<Slot> hosts, int n) {
    return hosts.stream()
        .sorted(
            Comparator.comparingInt((Slot s) -> -s.load())
                .thenComparingInt(s -> SpreadMath.mix(s.hostId())))
        .limit(Math.max(0, n))
        .toList();
  }
}
