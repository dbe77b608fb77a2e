package io.trellis.apps.reconcile;

import io.trellis.apps.Component;
import io.trellis.apps.Ownership;
import io.trellis.apps.Spread;
import io.trellis.apps.StatusInfo;
import io.trellis.apps.StatusType;
import io.trellis.apps.Trait;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plans an actor component's spreadscaler or daemonscaler (PROTOCOL.md §15.4): counts the instances
 * that carry the scaler's annotations on each eligible host (as asked for, while a command is
 * pending), and converges them to the target with scale commands, least-loaded hosts first.
 */
final class ActorScaler {
  private ActorScaler() {}

  static StatusInfo plan(PlanContext ctx, Component.Actor actor, Trait.Scaler trait) {
    String scalerId = ScalerIds.of(trait, ctx.app, actor);
    @Nullable String actorId =
        ctx.lattice.actorId(actor.image(), Ownership.ofScaler(ctx.app, scalerId)).orElse(null);
    if (actorId == null) {
      StatusInfo upgrading = ActorUpgrade.plan(ctx, actor, scalerId);
      if (upgrading != null) {
        return upgrading;
      }
    }
    List<HostState> hosts = ctx.lattice.placeable();
    List<StatusInfo> parts = new ArrayList<>();
    if (trait instanceof Trait.DaemonScaler) {
      daemon(ctx, actor, trait, scalerId, actorId, hosts, parts);
    } else {
      Map<String, Integer> targets =
          SpreadMath.allocate(trait.replicas(), trait.spreads(), ctx.app + "/" + actor.name());
      for (Spread s : trait.spreads()) {
        int target = targets.getOrDefault(s.name(), 0);
        List<HostState> eligible = hosts.stream().filter(h -> s.matches(h.labels())).toList();
        parts.add(spread(ctx, actor, scalerId, actorId, s, target, eligible, hosts.size()));
      }
    }
    StatusInfo info = StatusInfo.aggregate(parts, "");
    if (info.type() == StatusType.DEPLOYED) {
      ctx.failures.clear(actor.image());
      ctx.failures.clear(ActorUpgrade.failureKey(actor.image()));
    }
    return info;
  }

  private static StatusInfo spread(
      PlanContext ctx,
      Component.Actor actor,
      String scalerId,
      @Nullable String actorId,
      Spread s,
      int target,
      List<HostState> eligible,
      int hostCount) {
    String group = PlanContext.groupKey(scalerId, s.name());
    String pending = ctx.pending(group);
    Map<String, String> annotations = Ownership.of(ctx.app, scalerId, s.name());
    if (eligible.isEmpty()) {
      return target == 0
          ? StatusInfo.deployed("")
          : StatusInfo.failed(
              "spread "
                  + s.name()
                  + ": 0 of "
                  + hostCount
                  + " hosts match "
                  + s.describeRequirements());
    }
    int observed = 0;
    int effective = 0;
    List<Placement.Slot> open = new ArrayList<>();
    List<Placement.Slot> all = new ArrayList<>();
    for (HostState h : eligible) {
      ctx.count(h.id(), group);
      int seen = h.instancesWith(annotations);
      int eff = ctx.expectations.effective(h.id(), pending, seen, ctx.now);
      observed += seen;
      effective += eff;
      Placement.Slot slot = new Placement.Slot(h.id(), eff, h.load());
      all.add(slot);
      if (!ctx.failures.inBackoff(h.id(), actor.image(), ctx.now)) {
        open.add(slot);
      }
    }
    if (effective < target) {
      Placement.add(open, target - effective)
          .forEach((host, n) -> scale(ctx, actor, actorId, host, n, annotations, pending));
    } else if (effective > target) {
      Placement.remove(all, effective - target)
          .forEach((host, n) -> scale(ctx, actor, actorId, host, n, annotations, pending));
    }
    return status(ctx, actor, "spread " + s.name(), observed, target, open.isEmpty());
  }

  private static void daemon(
      PlanContext ctx,
      Component.Actor actor,
      Trait.Scaler trait,
      String scalerId,
      @Nullable String actorId,
      List<HostState> hosts,
      List<StatusInfo> parts) {
    int observed = 0;
    int target = 0;
    boolean anyOpen = false;
    for (HostState h : hosts) {
      Spread first =
          trait.spreads().stream().filter(s -> s.matches(h.labels())).findFirst().orElse(null);
      if (first == null) {
        continue;
      }
      String group = PlanContext.groupKey(scalerId, first.name());
      Map<String, String> annotations = Ownership.of(ctx.app, scalerId, first.name());
      ctx.count(h.id(), group);
      int seen = h.instancesWith(annotations);
      int eff = ctx.expectations.effective(h.id(), ctx.pending(group), seen, ctx.now);
      observed += seen;
      target += trait.replicas();
      boolean open = !ctx.failures.inBackoff(h.id(), actor.image(), ctx.now);
      anyOpen |= open;
      if (eff != trait.replicas() && (open || eff > trait.replicas())) {
        scale(ctx, actor, actorId, h.id(), trait.replicas(), annotations, ctx.pending(group));
      }
    }
    if (target == 0 && trait.replicas() > 0) {
      parts.add(
          StatusInfo.failed(
              "daemonscaler: 0 of "
                  + hosts.size()
                  + " hosts match "
                  + trait.spreads().stream()
                      .map(Spread::describeRequirements)
                      .reduce((a, b) -> a + " or " + b)
                      .orElse("any host")));
      return;
    }
    parts.add(status(ctx, actor, "daemonscaler", observed, target, !anyOpen));
  }

  private static void scale(
      PlanContext ctx,
      Component.Actor actor,
      @Nullable String actorId,
      String hostId,
      int count,
      Map<String, String> annotations,
      String group) {
    ctx.commands.add(
        new Command.ScaleActor(hostId, actorId, actor.image(), count, annotations, group));
  }

  private static StatusInfo status(
      PlanContext ctx,
      Component.Actor actor,
      String what,
      int observed,
      int target,
      boolean allInBackoff) {
    if (observed == target) {
      return StatusInfo.deployed("");
    }
    List<Failures.Failure> failed = ctx.failures.forImage(actor.image());
    String counts =
        what + ": " + observed + " of " + target + " instances of " + actor.name() + " running";
    if (!failed.isEmpty() && (observed < target || allInBackoff)) {
      Failures.Failure f = failed.get(failed.size() - 1);
      String host =
          ctx.lattice.hosts().stream()
              .filter(h -> h.id().equals(f.hostId()))
              .map(HostState::describe)
              .findFirst()
              .orElse(f.hostId());
      List<Failures.Failure> updates =
          ctx.failures.forImage(ActorUpgrade.failureKey(actor.image()));
      // the refused start only says "use live update" when the update was refused first
      String update =
          updates.isEmpty()
              ? ""
              : "; the live update to it was refused: " + updates.get(updates.size() - 1).error();
      return StatusInfo.failed(
          counts
              + "; "
              + actor.image()
              + " failed to start on host "
              + host
              + ": "
              + f.error()
              + update);
    }
    return StatusInfo.reconciling(counts);
  }
}
