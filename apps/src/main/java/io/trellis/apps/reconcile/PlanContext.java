package io.trellis.apps.reconcile;

import io.trellis.apps.Ownership;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one application's planning needs, and what it produces: the commands, and the
 * host/group pairs the scalers account for (anything else the application owns is stale and goes
 * once the application is deployed).
 */
final class PlanContext {
  final String app;
  final LatticeSnapshot lattice;
  final Expectations expectations;
  final Failures failures;
  final Instant now;
  final Duration actorWait;
  final Duration providerWait;
  final List<Command> commands = new ArrayList<>();
  final Set<String> counted = new HashSet<>();

  /** The removal expectations visited in this pass ({@code host|key}); others are done. */
  final Set<String> removals = new HashSet<>();

  PlanContext(
      String app,
      LatticeSnapshot lattice,
      Expectations expectations,
      Failures failures,
      Instant now,
      Duration actorWait,
      Duration providerWait) {
    this.app = app;
    this.lattice = lattice;
    this.expectations = expectations;
    this.failures = failures;
    this.now = now;
    this.actorWait = actorWait;
    this.providerWait = providerWait;
  }

  /** The group key of a scaler's instances in a spread: what its annotations identify. */
  static String groupKey(String scalerId, String spread) {
    return scalerId + "/" + spread;
  }

  /** The group key of owned annotations (as found on a host). */
  static String groupKey(Map<String, String> annotations) {
    return groupKey(
        annotations.getOrDefault(Ownership.SCALER, ""),
        annotations.getOrDefault(Ownership.SPREAD_NAME, ""));
  }

  /** An expectation key of this application (so it can forget them all on undeploy). */
  String pending(String what) {
    return app + "/" + what;
  }

  void count(String hostId, String groupKey) {
    counted.add(hostId + "|" + groupKey);
  }

  boolean isCounted(String hostId, String groupKey) {
    return counted.contains(hostId + "|" + groupKey);
  }
}
