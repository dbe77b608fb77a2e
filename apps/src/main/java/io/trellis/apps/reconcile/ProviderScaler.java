package io.trellis.apps.reconcile;

import io.trellis.apps.Component;
import io.trellis.apps.Ownership;
import io.trellis.apps.Spread;
import io.trellis.apps.StatusInfo;
import io.trellis.apps.StatusType;
import io.trellis.apps.Trait;
import io.trellis.wasmbus.ctl.HostInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plans a capability component's scaler (PROTOCOL.md §15.4). A host runs one provider per link
 * name, so a spread's target is a number of hosts: the least-loaded eligible hosts that do not run
 * it yet get one; a host where someone else runs the same provider and link name (by hand, or
 * another application) is left alone and not counted.
 */
final class ProviderScaler {
  private ProviderScaler() {}

  static StatusInfo plan(PlanContext ctx, Component.Capability cap, Trait.Scaler trait) {
    String scalerId = ScalerIds.of(trait, ctx.app, cap);
    @Nullable String providerId = ctx.lattice.providerId(cap.image()).orElse(null);
    List<HostState> hosts = ctx.lattice.placeable();
    List<StatusInfo> parts = new ArrayList<>();
    if (trait instanceof Trait.DaemonScaler) {
      int matching = 0;
      int running = 0;
      for (HostState h : hosts) {
        Spread first =
            trait.spreads().stream().filter(s -> s.matches(h.labels())).findFirst().orElse(null);
        if (first == null || trait.replicas() == 0) {
          continue;
        }
        matching++;
        HostPlan p = host(ctx, cap, scalerId, providerId, h, first.name());
        if (p.running() || p.foreign()) {
          running++;
        } else if (!p.pending() && p.open()) {
          start(ctx, cap, h.id(), scalerId, first.name());
        }
      }
      if (matching == 0 && trait.replicas() > 0) {
        parts.add(
            StatusInfo.failed(
                "daemonscaler: 0 of "
                    + hosts.size()
                    + " hosts match "
                    + trait.spreads().stream()
                        .map(Spread::describeRequirements)
                        .reduce((a, b) -> a + " or " + b)
                        .orElse("any host")));
      } else {
        parts.add(status(ctx, cap, "daemonscaler", running, matching));
      }
    } else {
      Map<String, Integer> targets =
          SpreadMath.allocate(trait.replicas(), trait.spreads(), ctx.app + "/" + cap.name());
      for (Spread s : trait.spreads()) {
        parts.add(
            spread(ctx, cap, scalerId, providerId, s, targets.getOrDefault(s.name(), 0), hosts));
      }
    }
    StatusInfo info = StatusInfo.aggregate(parts, "");
    if (info.type() == StatusType.DEPLOYED) {
      ctx.failures.clear(cap.image());
    }
    return info;
  }

  /** One host as a provider spread sees it. */
  private record HostPlan(
      HostState host,
      boolean running,
      boolean wanted,
      boolean foreign,
      boolean open,
      HostInventory.@Nullable Provider ours) {
    /** A command for this host is still taking effect. */
    boolean pending() {
      return running != wanted;
    }
  }

  private static HostPlan host(
      PlanContext ctx,
      Component.Capability cap,
      String scalerId,
      @Nullable String providerId,
      HostState h,
      String spread) {
    String group = PlanContext.groupKey(scalerId, spread);
    Map<String, String> annotations = Ownership.of(ctx.app, scalerId, spread);
    ctx.count(h.id(), group);
    HostInventory.@Nullable Provider ours = null;
    boolean foreign = false;
    if (h.inventory() != null) {
      for (HostInventory.Provider p : h.inventory().providers()) {
        boolean same =
            p.linkName().equals(cap.linkName())
                && (cap.image().equals(p.imageRef()) || p.id().equals(providerId));
        if (!same) {
          continue;
        }
        if (p.annotations().entrySet().containsAll(annotations.entrySet())) {
          ours = p;
        } else {
          foreign = true;
        }
      }
    }
    int seen = ours == null ? 0 : 1;
    int eff = ctx.expectations.effective(h.id(), ctx.pending(group), seen, ctx.now);
    boolean open = !ctx.failures.inBackoff(h.id(), cap.image(), ctx.now);
    return new HostPlan(h, seen == 1, eff == 1, foreign && ours == null, open, ours);
  }

  private static StatusInfo spread(
      PlanContext ctx,
      Component.Capability cap,
      String scalerId,
      @Nullable String providerId,
      Spread s,
      int target,
      List<HostState> hosts) {
    List<HostState> eligible = hosts.stream().filter(h -> s.matches(h.labels())).toList();
    if (eligible.isEmpty()) {
      return target == 0
          ? StatusInfo.deployed("")
          : StatusInfo.failed(
              "spread "
                  + s.name()
                  + ": 0 of "
                  + hosts.size()
                  + " hosts match "
                  + s.describeRequirements());
    }
    List<HostPlan> plans = new ArrayList<>();
    for (HostState h : eligible) {
      plans.add(host(ctx, cap, scalerId, providerId, h, s.name()));
    }
    List<HostPlan> running = plans.stream().filter(HostPlan::wanted).toList(); // or starting
    int have = running.size();
    if (have < target) {
      List<Placement.Slot> free =
          plans.stream()
              .filter(p -> !p.running() && !p.pending() && !p.foreign() && p.open())
              .map(p -> new Placement.Slot(p.host().id(), 0, p.host().load()))
              .toList();
      for (Placement.Slot slot : Placement.leastLoaded(free, target - have)) {
        start(ctx, cap, slot.hostId(), scalerId, s.name());
      }
    } else if (have > target) {
      List<Placement.Slot> busy =
          running.stream()
              .filter(p -> p.ours() != null && !p.pending())
              .map(p -> new Placement.Slot(p.host().id(), 1, p.host().load()))
              .toList();
      for (Placement.Slot slot : Placement.mostLoaded(busy, have - target)) {
        HostPlan p =
            running.stream()
                .filter(x -> x.host().id().equals(slot.hostId()))
                .findFirst()
                .orElseThrow();
        stop(ctx, cap, p.host().id(), p.ours(), s.name(), scalerId);
      }
    }
    int observed = (int) plans.stream().filter(HostPlan::running).count();
    long usable = plans.stream().filter(p -> !p.foreign()).count();
    if (usable < target) {
      return StatusInfo.failed(
          "spread "
              + s.name()
              + ": "
              + cap.name()
              + " needs "
              + target
              + " hosts, but only "
              + usable
              + " of the "
              + eligible.size()
              + " hosts matching "
              + s.describeRequirements()
              + " can take one (one per host and link name)");
    }
    return status(ctx, cap, "spread " + s.name(), observed, target);
  }

  private static void start(
      PlanContext ctx, Component.Capability cap, String hostId, String scalerId, String spread) {
    ctx.commands.add(
        new Command.StartProvider(
            hostId,
            cap.image(),
            cap.linkName(),
            cap.config(),
            Ownership.of(ctx.app, scalerId, spread),
            ctx.pending(PlanContext.groupKey(scalerId, spread))));
  }

  private static void stop(
      PlanContext ctx,
      Component.Capability cap,
      String hostId,
      HostInventory.Provider p,
      String spread,
      String scalerId) {
    ctx.commands.add(
        new Command.StopProvider(
            hostId,
            p.id(),
            p.linkName(),
            cap.contract(),
            p.annotations(),
            ctx.pending(PlanContext.groupKey(scalerId, spread))));
  }

  private static StatusInfo status(
      PlanContext ctx, Component.Capability cap, String what, int observed, int target) {
    if (observed >= target) {
      return StatusInfo.deployed("");
    }
    String counts =
        what + ": " + observed + " of " + target + " " + cap.name() + " providers running";
    List<Failures.Failure> failed = ctx.failures.forImage(cap.image());
    if (!failed.isEmpty()) {
      Failures.Failure f = failed.get(failed.size() - 1);
      String host =
          ctx.lattice.hosts().stream()
              .filter(h -> h.id().equals(f.hostId()))
              .map(HostState::describe)
              .findFirst()
              .orElse(f.hostId());
      return StatusInfo.failed(
          counts + "; " + cap.image() + " failed to start on host " + host + ": " + f.error());
    }
    return StatusInfo.reconciling(counts);
  }
}
