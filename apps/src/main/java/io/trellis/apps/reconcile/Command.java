package io.trellis.apps.reconcile;

import io.trellis.wasmbus.link.LinkDefinition;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a reconciliation pass asks the lattice to do, sent through the control interface. */
public sealed interface Command {
  /** The host it goes to ("" for links, which any host answers). */
  String hostId();

  /**
   * Converge the instances with {@code annotations} on a host to {@code count}; with {@code
   * actorId} null (not known yet) a start of {@code count} instances.
   */
  record ScaleActor(
      String hostId,
      @Nullable String actorId,
      String image,
      int count,
      Map<String, String> annotations,
      String groupKey)
      implements Command {}

  /**
   * Live-update the actor's instances on a host to {@code image} (ctl {@code update actor}): how a
   * new revision of an actor key replaces the running one, since a host never runs two side by
   * side.
   */
  record UpdateActor(String hostId, String actorId, String image, String groupKey)
      implements Command {}

  record StartProvider(
      String hostId,
      String image,
      String linkName,
      @Nullable String config,
      Map<String, String> annotations,
      String groupKey)
      implements Command {}

  record StopProvider(
      String hostId,
      String providerId,
      String linkName,
      String contractId,
      Map<String, String> annotations,
      String groupKey)
      implements Command {}

  record PutLink(LinkDefinition link, String groupKey) implements Command {
    @Override
    public String hostId() {
      return "";
    }
  }

  record DeleteLink(String actorId, String contractId, String linkName, String groupKey)
      implements Command {
    @Override
    public String hostId() {
      return "";
    }
  }
}
