package io.trellis.apps.reconcile;

import io.trellis.apps.store.AppliedRecord;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removal of what an application started and no longer wants (PROTOCOL.md §15.4): instances and
 * providers are found by the application's annotations, so nothing started by hand is touched;
 * links are the ones the application put, deleted only while they still point at the provider it
 * linked (somebody may have re-pointed them since).
 */
final class Cleanup {
  private Cleanup() {}

  /**
   * Commands that remove what {@code app} owns but no scaler of the current plan accounts for.
   *
   * @param everything remove all that {@code app} owns (undeploy)
   * @return how many instances and providers are still to go
   */
  static int owned(PlanContext ctx, boolean everything) {
    int left = 0;
    for (LatticeSnapshot.InstanceGroup g : ctx.lattice.ownedInstances(ctx.app)) {
      String key = PlanContext.groupKey(g.annotations());
      if (!everything && ctx.isCounted(g.hostId(), key)) {
        continue;
      }
      left += g.count();
      // the scaler's own key: a stop replaces what a start of the same group waits for
      String pendingKey = ctx.pending(key);
      if (ctx.expectations.effective(g.hostId(), pendingKey, g.count(), ctx.now) != 0) {
        ctx.commands.add(
            new Command.ScaleActor(g.hostId(), g.actorId(), "", 0, g.annotations(), pendingKey));
      }
    }
    for (LatticeSnapshot.ProviderInstance p : ctx.lattice.ownedProviders(ctx.app)) {
      String key = PlanContext.groupKey(p.provider().annotations());
      if (!everything && ctx.isCounted(p.hostId(), key)) {
        continue;
      }
      left++;
      String pendingKey = ctx.pending(key);
      if (ctx.expectations.effective(p.hostId(), pendingKey, 1, ctx.now) != 0) {
        ctx.commands.add(
            new Command.StopProvider(
                p.hostId(),
                p.provider().id(),
                p.provider().linkName(),
                p.provider().contractId(),
                p.provider().annotations(),
                pendingKey));
      }
    }
    return left;
  }

  /**
   * Deletes the recorded links that {@code keep} does not hold any more.
   *
   * @return the recorded links that still exist in the lattice as put
   */
  static int links(
      PlanContext ctx, List<AppliedRecord.PutLink> recorded, List<AppliedRecord.PutLink> keep) {
    Set<String> kept =
        keep.stream()
            .map(l -> LatticeSnapshot.linkKey(l.actorId(), l.contractId(), l.linkName()))
            .collect(Collectors.toSet());
    int left = 0;
    for (AppliedRecord.PutLink l : recorded) {
      String key = LatticeSnapshot.linkKey(l.actorId(), l.contractId(), l.linkName());
      if (kept.contains(key)) {
        continue;
      }
      Optional<LinkDefinition> current =
          ctx.lattice.link(l.actorId(), l.contractId(), l.linkName());
      if (current.isEmpty() || !current.get().providerId().equals(l.providerId())) {
        continue; // gone, or re-pointed by somebody else: not ours to delete
      }
      left++;
      String pendingKey = ctx.pending("del:" + key);
      ctx.removals.add(Expectations.key(LinkScaler.PENDING_HOST, pendingKey));
      if (ctx.expectations.pendingTarget(LinkScaler.PENDING_HOST, pendingKey, ctx.now).isEmpty()) {
        ctx.commands.add(
            new Command.DeleteLink(l.actorId(), l.contractId(), l.linkName(), pendingKey));
      }
    }
    return left;
  }
}
