package io.trellis.apps.api;

import java.util.Optional;

/** Who reconciles the lattice now, if anybody: status replies say so when nobody does. */
@FunctionalInterface
public interface LeaderLookup {
  /** The leading reconciler's id, or empty when none holds the lease. */
  Optional<String> leader();
}
