package io.trellis.apps.reconcile;

import io.trellis.apps.Component;
import io.trellis.apps.Manifest;
import io.trellis.apps.Ownership;
import io.trellis.apps.StatusInfo;
import io.trellis.apps.Trait;
import io.trellis.apps.store.AppliedRecord;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.Optional;

/**
 * Plans a {@code linkdef} trait (PROTOCOL.md §15.4): once some host runs the actor and the provider
 * (their ids come from the hosts' inventories), puts the link unless the lattice already holds
 * exactly it; while a put is pending, waits for the {@code linkdef_set} event.
 */
final class LinkScaler {
  private LinkScaler() {}

  static final String PENDING_HOST = "links";

  static StatusInfo plan(
      PlanContext ctx,
      Manifest m,
      Component.Actor actor,
      Trait.LinkDef link,
      List<AppliedRecord.PutLink> wanted) {
    Component.Capability cap = (Component.Capability) m.component(link.target()).orElseThrow();
    Optional<String> actorId =
        actor
            .scaler()
            .map(t -> Ownership.ofScaler(ctx.app, ScalerIds.of(t, ctx.app, actor)))
            .map(owner -> ctx.lattice.actorId(actor.image(), owner))
            .orElseGet(() -> ctx.lattice.actorId(actor.image()));
    Optional<String> providerId = ctx.lattice.providerId(cap.image());
    String what = "link " + actor.name() + " → " + cap.name();
    if (actorId.isEmpty() || providerId.isEmpty()) {
      return StatusInfo.reconciling(
          what
              + ": waiting for "
              + (actorId.isEmpty() ? actor.name() : cap.name())
              + " to run somewhere (the link needs its id)");
    }
    LinkDefinition desired =
        LinkDefinition.of(
            actorId.get(), providerId.get(), cap.linkName(), cap.contract(), link.values());
    wanted.add(
        new AppliedRecord.PutLink(actorId.get(), providerId.get(), cap.contract(), cap.linkName()));
    Optional<LinkDefinition> current =
        ctx.lattice.link(actorId.get(), cap.contract(), cap.linkName());
    String pending = ctx.pending(desired.id());
    if (current.isPresent() && same(current.get(), desired)) {
      ctx.expectations.forget(PENDING_HOST, pending);
      return StatusInfo.deployed("");
    }
    if (ctx.expectations.pendingTarget(PENDING_HOST, pending, ctx.now).isEmpty()) {
      ctx.commands.add(new Command.PutLink(desired, pending));
    }
    return StatusInfo.reconciling(what + ": putting the link");
  }

  static boolean same(LinkDefinition a, LinkDefinition b) {
    return a.actorId().equals(b.actorId())
        && a.providerId().equals(b.providerId())
        && a.contractId().equals(b.contractId())
        && a.linkName().equals(b.linkName())
        && a.values().equals(b.values());
  }
}
