package io.trellis.apps.reconcile;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Damping (PROTOCOL.md §15.4): after a command, the count it asked for on a host is taken as the
 * current count until the host reports it, the command fails, or the deadline passes; so a scaler
 * that just sent a command never sends another for the same thing before the first took effect.
 */
final class Expectations {
  private record Pending(int target, Instant until) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  static String key(String hostId, String what) {
    return hostId + "|" + what;
  }

  void expect(String hostId, String what, int target, Instant until) {
    pending.put(key(hostId, what), new Pending(target, until));
  }

  /**
   * The count to plan with: the pending target while it is neither met nor expired, else the
   * observed count (and the expectation is dropped).
   */
  int effective(String hostId, String what, int observed, Instant now) {
    String k = key(hostId, what);
    Pending p = pending.get(k);
    if (p == null) {
      return observed;
    }
    if (p.target() == observed || !now.isBefore(p.until())) {
      pending.remove(k, p);
      return observed;
    }
    return p.target();
  }

  /** The pending target, if any (without dropping it). */
  OptionalInt pendingTarget(String hostId, String what, Instant now) {
    Pending p = pending.get(key(hostId, what));
    return p == null || !now.isBefore(p.until()) ? OptionalInt.empty() : OptionalInt.of(p.target());
  }

  void forget(String hostId, String what) {
    pending.remove(key(hostId, what));
  }

  void forgetHost(String hostId) {
    pending.keySet().removeIf(k -> k.startsWith(hostId + "|"));
  }

  /** Drops every expectation whose key mentions {@code fragment} (a failed image, say). */
  void forgetMatching(String hostId, String fragment) {
    pending.keySet().removeIf(k -> k.startsWith(hostId + "|") && k.contains(fragment));
  }

  /** Drops every expectation of {@code app} (it was undeployed and is gone). */
  void forgetApp(String app) {
    pending.keySet().removeIf(k -> k.contains("|" + app + "/"));
  }

  /**
   * How many of {@code app}'s commands that start something may still take effect: an undeploy is
   * not finished while one of them might start an instance after the last look.
   */
  int inFlight(String app, Instant now) {
    int n = 0;
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      if (e.getKey().contains("|" + app + "/")
          && e.getValue().target() > 0
          && now.isBefore(e.getValue().until())) {
        n++;
      }
    }
    return n;
  }

  /**
   * Drops the link deletions that were not visited in this pass: the link is gone (or is not the
   * application's any more), and the same link may be put again later.
   */
  void retainRemovals(Set<String> visited) {
    pending.keySet().removeIf(k -> k.contains("/del:") && !visited.contains(k));
  }

  void clear() {
    pending.clear();
  }
}
