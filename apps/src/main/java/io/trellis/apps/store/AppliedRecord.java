package io.trellis.apps.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.apps.Manifest;
import io.trellis.apps.ManifestParser;
import io.trellis.wasmbus.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What the reconciler has put into the lattice for an application, kept in the store so that any
 * reconciler (after a leader change, or after the manifest was deleted) can finish an upgrade or an
 * undeploy: the manifest it applied and the links it put (PROTOCOL.md §15.2).
 *
 * @param manifest the manifest of the version being applied (as a tree)
 * @param links the links put for it, by their lattice identity
 */
public record AppliedRecord(String version, JsonNode manifest, List<PutLink> links) {
  public AppliedRecord {
    links = List.copyOf(links);
  }

  /** A link the application put. */
  public record PutLink(String actorId, String providerId, String contractId, String linkName) {}

  public Manifest parsedManifest() {
    return ManifestParser.fromTree(manifest);
  }

  public AppliedRecord withLinks(List<PutLink> newLinks) {
    return new AppliedRecord(version, manifest, newLinks);
  }

  public byte[] toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode().put("version", version);
    o.set("manifest", manifest);
    ArrayNode ls = o.putArray("links");
    for (PutLink l : links) {
      ls.addObject()
          .put("actor_id", l.actorId())
          .put("provider_id", l.providerId())
          .put("contract_id", l.contractId())
          .put("link_name", l.linkName());
    }
    return Json.bytes(o);
  }

  public static AppliedRecord fromJson(byte[] json) {
    ObjectNode o =
        Json.readObject(
            json, (why, cause) -> new AppStoreException("applied record is " + why, cause));
    List<PutLink> links = new ArrayList<>();
    for (JsonNode l : o.path("links")) {
      links.add(
          new PutLink(
              l.path("actor_id").asText(),
              l.path("provider_id").asText(),
              l.path("contract_id").asText(),
              l.path("link_name").asText()));
    }
    return new AppliedRecord(o.path("version").asText(), o.path("manifest"), links);
  }
}
