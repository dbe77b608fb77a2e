package io.trellis.apps.reconcile;

import io.trellis.apps.Component;
import io.trellis.apps.Ownership;
import io.trellis.apps.StatusInfo;
import io.trellis.apps.Trait;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A new image for a component the application already runs from another image (a new version of the
 * manifest): when the new image is a later revision of the same actor key, hosts refuse to run it
 * beside the old one, so the running instances are live-updated to it first (PROTOCOL.md §15.4).
 * The earlier scaler's instances, now on the new image, are then counted by nobody and go once the
 * version is deployed, after the new scaler's instances started: new before old, as for any
 * upgrade. A host that refuses the update (the new image is another actor, its revision is not
 * greater, policy) is left to the ordinary start for a while, which succeeds for another actor and
 * otherwise shows the host's refusal.
 */
final class ActorUpgrade {
  private static final List<String> SCALER_TYPES = List.of(Trait.SPREADSCALER, Trait.DAEMONSCALER);

  private ActorUpgrade() {}

  /** The failure key of refused updates to {@code image}: kept apart from its start failures. */
  static String failureKey(String image) {
    return "update:" + image;
  }

  /**
   * Sends the updates still needed for {@code actor}'s new image.
   *
   * @return the status while hosts are being updated, or null when no host needs one
   */
  static @Nullable StatusInfo plan(PlanContext ctx, Component.Actor actor, String scalerId) {
    Set<String> hosts = new HashSet<>();
    for (LatticeSnapshot.InstanceGroup g : ctx.lattice.ownedInstances(ctx.app)) {
      if (g.imageRef().isEmpty()
          || g.imageRef().equals(actor.image())
          || !isEarlierScaler(g.annotations().get(Ownership.SCALER), ctx.app, actor, scalerId)
          || ctx.failures.inBackoff(g.hostId(), failureKey(actor.image()), ctx.now)
          || !hosts.add(g.hostId() + "|" + g.actorId())) {
        continue;
      }
      String key = ctx.pending("update:" + g.actorId() + "@" + actor.image());
      if (ctx.expectations.pendingTarget(g.hostId(), key, ctx.now).isEmpty()) {
        ctx.commands.add(new Command.UpdateActor(g.hostId(), g.actorId(), actor.image(), key));
      }
    }
    if (hosts.isEmpty()) {
      return null;
    }
    return StatusInfo.reconciling(
        "upgrading "
            + actor.name()
            + " to "
            + actor.image()
            + " on "
            + hosts.size()
            + (hosts.size() == 1 ? " host" : " hosts"));
  }

  /**
   * True when {@code scaler} is another scaler of this component: its id with another image. Not
   * compared with the image the instances run, which a live update by hand may have changed. A
   * component whose name extends this one's ({@code api-v2} for {@code api}) matches too; the host
   * then refuses the update, as the image is another actor, and the ordinary start follows.
   */
  private static boolean isEarlierScaler(
      @Nullable String scaler, String app, Component.Actor actor, String current) {
    if (scaler == null || scaler.equals(current)) {
      return false;
    }
    for (String type : SCALER_TYPES) {
      if (scaler.startsWith(ScalerIds.of(type, app, actor.name(), ""))) {
        return true;
      }
    }
    return false;
  }
}
