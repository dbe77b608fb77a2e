package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A host's inventory: {@code get.{host}.inv} (PROTOCOL.md §8.2). */
public record HostInventory(
    String hostId,
    String issuer,
    Map<String, String> labels,
    String friendlyName,
    List<Actor> actors,
    List<Provider> providers) {

  public HostInventory {
    labels = Map.copyOf(labels);
    actors = List.copyOf(actors);
    providers = List.copyOf(providers);
  }

  public record Instance(Map<String, String> annotations, String instanceId, long revision) {}

  /** An actor; {@code imageRef} is null when it was started from bytes. */
  public record Actor(
      String id, @Nullable String imageRef, String name, List<Instance> instances) {}

  public record Provider(
      String id,
      @Nullable String imageRef,
      String contractId,
      String linkName,
      String name,
      String instanceId,
      Map<String, String> annotations,
      long revision) {}

  public byte[] toJson() {
    ObjectNode o = CtlJson.object().put("host_id", hostId).put("issuer", issuer);
    o.set("labels", CtlJson.mapNode(labels));
    o.put("friendly_name", friendlyName);
    ArrayNode as = o.putArray("actors");
    for (Actor a : actors) {
      ObjectNode an = as.addObject().put("id", a.id());
      nullable(an, "image_ref", a.imageRef());
      an.put("name", a.name());
      ArrayNode is = an.putArray("instances");
      for (Instance i : a.instances()) {
        ObjectNode in = is.addObject();
        in.set("annotations", CtlJson.mapNode(i.annotations()));
        in.put("instance_id", i.instanceId()).put("revision", i.revision());
      }
    }
    ArrayNode ps = o.putArray("providers");
    for (Provider p : providers) {
      ObjectNode pn = ps.addObject().put("id", p.id());
      nullable(pn, "image_ref", p.imageRef());
      pn.put("contract_id", p.contractId())
          .put("link_name", p.linkName())
          .put("name", p.name())
          .put("instance_id", p.instanceId());
      pn.set("annotations", CtlJson.mapNode(p.annotations()));
      pn.put("revision", p.revision());
    }
    return CtlJson.bytes(o);
  }

  private static void nullable(ObjectNode o, String k, @Nullable String v) {
    if (v == null || v.isEmpty()) {
      o.putNull(k);
    } else {
      o.put(k, v);
    }
  }

  public static HostInventory fromJson(byte[] json) {
    JsonNode n = HostInfo.read(json, "inventory");
    List<Actor> actors = new ArrayList<>();
    for (JsonNode a : n.path("actors")) {
      List<Instance> instances = new ArrayList<>();
      for (JsonNode i : a.path("instances")) {
        instances.add(
            new Instance(
                HostInfo.labels(i.get("annotations")),
                i.path("instance_id").asText(),
                i.path("revision").asLong()));
      }
      actors.add(
          new Actor(
              a.path("id").asText(), text(a, "image_ref"), a.path("name").asText(), instances));
    }
    List<Provider> providers = new ArrayList<>();
    for (JsonNode p : n.path("providers")) {
      providers.add(
          new Provider(
              p.path("id").asText(),
              text(p, "image_ref"),
              p.path("contract_id").asText(),
              p.path("link_name").asText(),
              p.path("name").asText(),
              p.path("instance_id").asText(),
              HostInfo.labels(p.get("annotations")),
              p.path("revision").asLong()));
    }
    return new HostInventory(
        n.path("host_id").asText(),
        n.path("issuer").asText(),
        HostInfo.labels(n.get("labels")),
        n.path("friendly_name").asText(),
        actors,
        providers);
  }

  private static @Nullable String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : null;
  }
}
