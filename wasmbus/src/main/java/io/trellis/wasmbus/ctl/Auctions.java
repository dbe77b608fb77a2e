package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.Map;
import java.util.Set;

/** Auction requests and the replies of hosts that can take the work (PROTOCOL.md §8.4). */
public final class Auctions {
  private Auctions() {}

  public record ActorRequest(String actorRef, Map<String, String> constraints) {
    static final Set<String> FIELDS = Set.of("actor_ref", "constraints");

    public ActorRequest {
      constraints = Map.copyOf(constraints);
    }

    public static ActorRequest fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "actor auction request", FIELDS);
      return new ActorRequest(j.requiredString("actor_ref"), j.stringMap("constraints"));
    }

    public byte[] toJson() {
      ObjectNode o = CtlJson.object().put("actor_ref", actorRef);
      o.set("constraints", CtlJson.mapNode(constraints));
      return CtlJson.bytes(o);
    }
  }

  public record ActorAck(String actorRef, Map<String, String> constraints, String hostId) {
    static final Set<String> FIELDS = Set.of("actor_ref", "constraints", "host_id");

    public static ActorAck fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "actor auction reply", FIELDS);
      return new ActorAck(
          j.requiredString("actor_ref"), j.stringMap("constraints"), j.requiredString("host_id"));
    }

    public byte[] toJson() {
      ObjectNode o = CtlJson.object().put("actor_ref", actorRef);
      o.set("constraints", CtlJson.mapNode(constraints));
      return CtlJson.bytes(o.put("host_id", hostId));
    }
  }

  public record ProviderRequest(
      String providerRef, String linkName, Map<String, String> constraints) {
    static final Set<String> FIELDS = Set.of("provider_ref", "link_name", "constraints");

    public ProviderRequest {
      constraints = Map.copyOf(constraints);
    }

    public static ProviderRequest fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "provider auction request", FIELDS);
      return new ProviderRequest(
          j.requiredString("provider_ref"),
          j.optionalString("link_name", LinkDefinition.DEFAULT_LINK_NAME),
          j.stringMap("constraints"));
    }

    public byte[] toJson() {
      ObjectNode o = CtlJson.object().put("provider_ref", providerRef).put("link_name", linkName);
      o.set("constraints", CtlJson.mapNode(constraints));
      return CtlJson.bytes(o);
    }
  }

  public record ProviderAck(
      String providerRef, String linkName, Map<String, String> constraints, String hostId) {
    static final Set<String> FIELDS = Set.of("provider_ref", "link_name", "constraints", "host_id");

    public static ProviderAck fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "provider auction reply", FIELDS);
      return new ProviderAck(
          j.requiredString("provider_ref"),
          j.optionalString("link_name", "default"),
          j.stringMap("constraints"),
          j.requiredString("host_id"));
    }

    public byte[] toJson() {
      ObjectNode o = CtlJson.object().put("provider_ref", providerRef).put("link_name", linkName);
      o.set("constraints", CtlJson.mapNode(constraints));
      return CtlJson.bytes(o.put("host_id", hostId));
    }
  }
}
