package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A host's answer to {@code ping.hosts} (PROTOCOL.md §8.2). Note {@code cluster_issuers} is one
 * comma-joined string on the wire. Reading is lenient: other host versions add or omit fields.
 */
public record HostInfo(
    String id,
    String issuer,
    Map<String, String> labels,
    String friendlyName,
    long uptimeSeconds,
    String uptimeHuman,
    String version,
    String clusterIssuers,
    @Nullable String jsDomain,
    String ctlHost,
    String provRpcHost,
    String rpcHost,
    String latticePrefix) {

  public HostInfo {
    labels = Map.copyOf(labels);
  }

  public byte[] toJson() {
    ObjectNode o = CtlJson.object().put("id", id).put("issuer", issuer);
    o.set("labels", CtlJson.mapNode(labels));
    o.put("friendly_name", friendlyName)
        .put("uptime_seconds", uptimeSeconds)
        .put("uptime_human", uptimeHuman)
        .put("version", version)
        .put("cluster_issuers", clusterIssuers);
    if (jsDomain == null) {
      o.putNull("js_domain");
    } else {
      o.put("js_domain", jsDomain);
    }
    o.put("ctl_host", ctlHost)
        .put("prov_rpc_host", provRpcHost)
        .put("rpc_host", rpcHost)
        .put("lattice_prefix", latticePrefix);
    return CtlJson.bytes(o);
  }

  public static HostInfo fromJson(byte[] json) {
    JsonNode n = read(json, "ping reply");
    return new HostInfo(
        n.path("id").asText(),
        n.path("issuer").asText(),
        labels(n.get("labels")),
        n.path("friendly_name").asText(),
        n.path("uptime_seconds").asLong(),
        n.path("uptime_human").asText(),
        n.path("version").asText(),
        n.path("cluster_issuers").asText(),
        n.hasNonNull("js_domain") ? n.get("js_domain").asText() : null,
        n.path("ctl_host").asText(),
        n.path("prov_rpc_host").asText(),
        n.path("rpc_host").asText(),
        n.path("lattice_prefix").asText());
  }

  static JsonNode read(byte[] json, String what) {
    JsonNode n =
        Json.readObject(json, (problem, cause) -> new CtlParseException(what + " is " + problem));
    if (n.has("accepted") && !n.path("accepted").asBoolean(true)) {
      throw new CtlParseException(n.path("error").asText("request refused"));
    }
    return n;
  }

  static Map<String, String> labels(@Nullable JsonNode n) {
    Map<String, String> m = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }
}
