package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.link.InvalidLinkDefinitionException;
import io.trellis.wasmbus.link.LinkDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code get.claims}, {@code get.links} and {@code linkdefs.del} bodies (PROTOCOL.md §8.2, §8.3).
 */
public final class LatticeQueries {
  private LatticeQueries() {}

  public static byte[] claimsReply(List<ClaimsRecord> claims) {
    ObjectNode o = CtlJson.object();
    ArrayNode a = o.putArray("claims");
    for (ClaimsRecord c : claims) {
      try {
        a.add(Json.MAPPER.readTree(c.toJson()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return CtlJson.bytes(o);
  }

  public static List<ClaimsRecord> claims(byte[] json) {
    JsonNode n = HostInfo.read(json, "claims reply");
    List<ClaimsRecord> out = new ArrayList<>();
    for (JsonNode c : n.path("claims")) {
      out.add(ClaimsRecord.fromJson(CtlJson.bytes(c)));
    }
    return out;
  }

  public static byte[] linksReply(List<LinkDefinition> links) {
    ObjectNode o = CtlJson.object();
    ArrayNode a = o.putArray("links");
    links.forEach(l -> a.add(l.toJsonNode()));
    return CtlJson.bytes(o);
  }

  public static List<LinkDefinition> links(byte[] json) {
    JsonNode n = HostInfo.read(json, "links reply");
    List<LinkDefinition> out = new ArrayList<>();
    for (JsonNode l : n.path("links")) {
      out.add(LinkDefinition.fromJsonNode(l));
    }
    return out;
  }

  /**
   * {@code linkdefs.del}: actor, contract and link name required. wasmCloud's control-interface
   * client sends a whole LinkDefinition (with an empty {@code provider_id} and {@code values}), so
   * those fields are accepted and ignored.
   */
  public record LinkDelete(String actorId, String contractId, String linkName) {
    static final Set<String> FIELDS =
        Set.of("actor_id", "contract_id", "link_name", "provider_id", "values", "id");

    public static LinkDelete fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "link definition removal request", FIELDS);
      String actor = j.requiredString("actor_id");
      CtlKeys.requireActorKey(actor, "link definition removal request", "actor_id");
      return new LinkDelete(actor, j.requiredString("contract_id"), j.requiredString("link_name"));
    }

    public byte[] toJson() {
      return CtlJson.bytes(
          CtlJson.object()
              .put("actor_id", actorId)
              .put("contract_id", contractId)
              .put("link_name", linkName));
    }
  }

  /** {@code linkdefs.put}: a link definition, strictly checked (keys, contract, string values). */
  public static LinkDefinition linkPut(byte[] json) {
    CtlJson j =
        CtlJson.parse(
            json,
            "link definition put request",
            Set.of("id", "actor_id", "provider_id", "link_name", "contract_id", "values"));
    try {
      return LinkDefinition.fromJsonNode(j.raw()).validate();
    } catch (InvalidLinkDefinitionException e) {
      throw new CtlParseException("invalid link definition put request: " + e.getMessage());
    }
  }
}
