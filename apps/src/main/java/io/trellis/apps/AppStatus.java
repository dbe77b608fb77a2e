package io.trellis.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The status of an application: wadm's {@code Status} {@code {version, status, components}}, with a
 * status per component and per trait (PROTOCOL.md §15.3). Trellis adds {@code updated_at} and
 * {@code reconciler} (who wrote it), which wadm's clients ignore.
 */
public record AppStatus(
    String version,
    StatusInfo info,
    List<ComponentStatus> components,
    @Nullable Instant updatedAt,
    @Nullable String reconciler) {

  public AppStatus {
    components = List.copyOf(components);
  }

  public record ComponentStatus(
      String name, String type, StatusInfo info, List<TraitStatus> traits) {
    public ComponentStatus {
      traits = List.copyOf(traits);
    }
  }

  public record TraitStatus(String type, StatusInfo info) {}

  /** The same status without the bookkeeping fields, to tell whether anything changed. */
  public AppStatus withoutStamp() {
    return new AppStatus(version, info, components, null, null);
  }

  public ObjectNode toJsonNode() {
    ObjectNode o = Json.MAPPER.createObjectNode().put("version", version);
    o.set("status", info.toJsonNode());
    ArrayNode cs = o.putArray("components");
    for (ComponentStatus c : components) {
      ObjectNode cn = cs.addObject().put("name", c.name()).put("type", c.type());
      cn.set("status", c.info().toJsonNode());
      ArrayNode ts = cn.putArray("traits");
      for (TraitStatus t : c.traits()) {
        ts.addObject().put("type", t.type()).set("status", t.info().toJsonNode());
      }
    }
    if (updatedAt != null) {
      o.put("updated_at", updatedAt.toString());
    }
    if (reconciler != null) {
      o.put("reconciler", reconciler);
    }
    return o;
  }

  public static AppStatus fromJson(JsonNode n) {
    List<ComponentStatus> cs = new ArrayList<>();
    for (JsonNode c : n.path("components")) {
      List<TraitStatus> ts = new ArrayList<>();
      for (JsonNode t : c.path("traits")) {
        ts.add(new TraitStatus(t.path("type").asText(""), StatusInfo.fromJson(t.path("status"))));
      }
      cs.add(
          new ComponentStatus(
              c.path("name").asText(""),
              c.path("type").asText(""),
              StatusInfo.fromJson(c.path("status")),
              ts));
    }
    Instant at = null;
    if (n.hasNonNull("updated_at")) {
      try {
        at = Instant.parse(n.get("updated_at").asText());
      } catch (RuntimeException e) {
        at = null;
      }
    }
    return new AppStatus(
        n.path("version").asText(""),
        StatusInfo.fromJson(n.path("status")),
        cs,
        at,
        n.hasNonNull("reconciler") ? n.get("reconciler").asText() : null);
  }
}
