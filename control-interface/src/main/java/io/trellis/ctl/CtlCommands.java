package io.trellis.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.ctl.Requester.Target;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.ActorCommands;
import io.trellis.wasmbus.ctl.CtlJson;
import io.trellis.wasmbus.ctl.CtlSubjects;
import io.trellis.wasmbus.ctl.HostCommands;
import io.trellis.wasmbus.ctl.LatticeQueries;
import io.trellis.wasmbus.ctl.ProviderCommands;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@link CtlClient}'s commands (PROTOCOL.md §8.3): each is acked by the host it names (or by any
 * host for links and registries); a refusal comes back as the ack.
 */
final class CtlCommands {
  private final Requester requester;
  private final CtlSubjects subjects;
  private final String lattice;
  private final Duration timeout;

  CtlCommands(Requester requester, CtlSubjects subjects, String lattice, Duration timeout) {
    this.requester = requester;
    this.subjects = subjects;
    this.lattice = lattice;
    this.timeout = timeout;
  }

  Ack startActor(String hostId, String ref, int count, Map<String, String> annotations) {
    return command(
        hostId,
        "la",
        new ActorCommands.Start(ref, count, annotations, hostId).toJson(),
        "start actor");
  }

  Ack stopActor(String hostId, String actorId, int count, Map<String, String> annotations) {
    return command(
        hostId,
        "sa",
        new ActorCommands.Stop(actorId, count, annotations, hostId).toJson(),
        "stop actor");
  }

  Ack scaleActor(
      String hostId,
      String actorId,
      @Nullable String ref,
      int count,
      Map<String, String> annotations) {
    return command(
        hostId,
        "scale",
        new ActorCommands.Scale(actorId, ref == null ? "" : ref, count, annotations, hostId)
            .toJson(),
        "scale actor");
  }

  Ack updateActor(String hostId, String actorId, String newRef, Map<String, String> annotations) {
    return command(
        hostId,
        "upd",
        new ActorCommands.Update(newRef, actorId, annotations, hostId).toJson(),
        "update actor");
  }

  Ack startProvider(
      String hostId,
      String ref,
      @Nullable String linkName,
      @Nullable String configJson,
      Map<String, String> annotations) {
    return command(
        hostId,
        "lp",
        new ProviderCommands.Start(
                ref, linkName(linkName), configJson == null ? "" : configJson, annotations, hostId)
            .toJson(),
        "start provider");
  }

  Ack stopProvider(
      String hostId,
      String providerId,
      @Nullable String linkName,
      @Nullable String contractId,
      Map<String, String> annotations) {
    return command(
        hostId,
        "sp",
        new ProviderCommands.Stop(
                providerId,
                linkName(linkName),
                contractId == null ? "" : contractId,
                annotations,
                hostId)
            .toJson(),
        "stop provider");
  }

  Ack stopHost(String hostId, Duration hostTimeout) {
    return command(
        hostId,
        "stop",
        new HostCommands.StopHost(hostId, hostTimeout.toMillis()).toJson(),
        "stop host");
  }

  Ack putLabel(String hostId, String key, String value) {
    return command(hostId, "label.put", new HostCommands.Label(key, value).toJson(), "put label");
  }

  Ack deleteLabel(String hostId, String key) {
    return command(
        hostId, "label.del", CtlJson.bytes(CtlJson.object().put("key", key)), "delete label");
  }

  Ack putLink(LinkDefinition link) {
    return Replies.ack(
        requester.request(
            subjects.linkdefsPut(), link.toJson(), timeout, Target.anyHost("put link", lattice)),
        "put link");
  }

  Ack deleteLink(String actorId, String contractId, String linkName) {
    byte[] body = new LatticeQueries.LinkDelete(actorId, contractId, linkName(linkName)).toJson();
    return Replies.ack(
        requester.request(
            subjects.linkdefsDel(), body, timeout, Target.anyHost("delete link", lattice)),
        "delete link");
  }

  Ack putRegistries(Map<String, HostCommands.RegistryCredential> registries) {
    ObjectNode body = CtlJson.object();
    registries.forEach(
        (server, c) -> {
          ObjectNode o = body.putObject(server).put("registryType", c.registryType());
          if (c.username() != null) {
            o.put("username", c.username());
          }
          if (c.password() != null) {
            o.put("password", c.password());
          }
          if (c.token() != null) {
            o.put("token", c.token());
          }
        });
    return Replies.ack(
        requester.request(
            subjects.registriesPut(),
            CtlJson.bytes(body),
            timeout,
            Target.anyHost("put registries", lattice)),
        "put registries");
  }

  private Ack command(String hostId, String cmd, byte[] body, String what) {
    return Replies.ack(
        requester.request(
            subjects.command(hostId, cmd),
            body,
            timeout,
            Target.host(what + " command", hostId, lattice)),
        what + " command to host " + hostId);
  }

  /** Null or empty means {@code default}. */
  static String linkName(@Nullable String linkName) {
    return linkName == null || linkName.isEmpty() ? LinkDefinition.DEFAULT_LINK_NAME : linkName;
  }
}
