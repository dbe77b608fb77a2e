package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/** Actor commands of PROTOCOL.md §8.3: {@code cmd.{host}.la|sa|scale|upd}. */
public final class ActorCommands {
  /** Upper bound on instance counts in one command; protects hosts from "count": 2e9. */
  public static final int MAX_COUNT = 10_000;

  private ActorCommands() {}

  /**
   * {@code la}: start {@code count} instances from a reference. A count of 0 means 1, as
   * wasmCloud's control-interface client documents it.
   */
  public record Start(String actorRef, int count, Map<String, String> annotations, String hostId) {
    static final Set<String> FIELDS = Set.of("actor_ref", "count", "annotations", "host_id");

    public Start {
      annotations = Map.copyOf(annotations);
    }

    public static Start fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "start actor command", FIELDS);
      int count = (int) j.optionalInt("count", 1, 0, MAX_COUNT);
      return new Start(
          j.requiredString("actor_ref"),
          count == 0 ? 1 : count,
          j.stringMap("annotations"),
          j.optionalString("host_id", ""));
    }

    public byte[] toJson() {
      ObjectNode o = CtlJson.object().put("actor_ref", actorRef).put("count", count);
      o.set("annotations", CtlJson.mapNode(annotations));
      return CtlJson.bytes(o.put("host_id", hostId));
    }
  }

  /** {@code sa}: stop {@code count} instances (0 = all) of an actor key whose annotations match. */
  public record Stop(String actorRef, int count, Map<String, String> annotations, String hostId) {
    static final Set<String> FIELDS = Set.of("actor_ref", "count", "annotations", "host_id");

    public Stop {
      annotations = Map.copyOf(annotations);
    }

    public static Stop fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "stop actor command", FIELDS);
      String ref = j.requiredString("actor_ref");
      CtlKeys.requireActorKey(ref, "stop actor command", "actor_ref");
      return new Stop(
          ref,
          (int) j.requiredInt("count", 0, MAX_COUNT),
          j.stringMap("annotations"),
          j.optionalString("host_id", ""));
    }

    public byte[] toJson() {
      ObjectNode o = CtlJson.object().put("actor_ref", actorRef).put("count", count);
      o.set("annotations", CtlJson.mapNode(annotations));
      return CtlJson.bytes(o.put("host_id", hostId));
    }
  }

  /** {@code scale}: converge the local instance count of an actor. */
  public record Scale(
      String actorId, String actorRef, int count, Map<String, String> annotations, String hostId) {
    static final Set<String> FIELDS =
        Set.of("actor_id", "actor_ref", "count", "annotations", "host_id");

    public Scale {
      annotations = Map.copyOf(annotations);
    }

    public static Scale fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "scale actor command", FIELDS);
      String id = j.requiredString("actor_id");
      CtlKeys.requireActorKey(id, "scale actor command", "actor_id");
      return new Scale(
          id,
          j.optionalString("actor_ref", ""),
          (int) j.requiredInt("count", 0, MAX_COUNT),
          j.stringMap("annotations"),
          j.optionalString("host_id", ""));
    }

    public byte[] toJson() {
      ObjectNode o =
          CtlJson.object().put("actor_id", actorId).put("actor_ref", actorRef).put("count", count);
      o.set("annotations", CtlJson.mapNode(annotations));
      return CtlJson.bytes(o.put("host_id", hostId));
    }
  }

  /** {@code upd}: live update to a new module with the same key and a greater revision. */
  public record Update(
      String newActorRef, String actorId, Map<String, String> annotations, String hostId) {
    static final Set<String> FIELDS = Set.of("new_actor_ref", "actor_id", "annotations", "host_id");

    public Update {
      annotations = Map.copyOf(annotations);
    }

    public static Update fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "update actor command", FIELDS);
      String id = j.optionalString("actor_id", "");
      if (!id.isEmpty()) {
        CtlKeys.requireActorKey(id, "update actor command", "actor_id");
      }
      return new Update(
          j.requiredString("new_actor_ref"),
          id,
          j.stringMap("annotations"),
          j.optionalString("host_id", ""));
    }

    public byte[] toJson() {
      ObjectNode o = CtlJson.object().put("new_actor_ref", newActorRef).put("actor_id", actorId);
      o.set("annotations", CtlJson.mapNode(annotations));
      return CtlJson.bytes(o.put("host_id", hostId));
    }
  }
}
