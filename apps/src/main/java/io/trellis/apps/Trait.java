package io.trellis.apps;

import java.util.List;
import java.util.Map;

/**
 * A trait of a component: how many instances run where ({@link SpreadScaler}, {@link
 * DaemonScaler}), or a link to a capability of the same manifest ({@link LinkDef}).
 */
public sealed interface Trait permits Trait.Scaler, Trait.LinkDef {
  String SPREADSCALER = "spreadscaler";
  String DAEMONSCALER = "daemonscaler";
  String LINKDEF = "linkdef";

  /** The trait's {@code type} as written in a manifest. */
  String type();

  /** A trait that decides how many instances run and where. */
  sealed interface Scaler extends Trait permits SpreadScaler, DaemonScaler {
    int replicas();

    /** Never empty: a manifest without spreads gets one {@link Spread#matchingEveryHost()}. */
    List<Spread> spreads();
  }

  /** {@code replicas} across the lattice, divided between the spreads by weight. */
  record SpreadScaler(int replicas, List<Spread> spreads) implements Scaler {
    public SpreadScaler {
      spreads = spreads.isEmpty() ? List.of(Spread.matchingEveryHost()) : List.copyOf(spreads);
    }

    @Override
    public String type() {
      return SPREADSCALER;
    }
  }

  /** {@code replicas} on every host that matches any of the spreads. */
  record DaemonScaler(int replicas, List<Spread> spreads) implements Scaler {
    public DaemonScaler {
      spreads = spreads.isEmpty() ? List.of(Spread.matchingEveryHost()) : List.copyOf(spreads);
    }

    @Override
    public String type() {
      return DAEMONSCALER;
    }
  }

  /** A link from the actor this trait is on to the capability component named {@code target}. */
  record LinkDef(String target, Map<String, String> values) implements Trait {
    public LinkDef {
      values = Map.copyOf(values);
    }

    @Override
    public String type() {
      return LINKDEF;
    }
  }
}
