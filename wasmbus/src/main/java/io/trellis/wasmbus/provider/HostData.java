package io.trellis.wasmbus.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a host tells a capability provider process at launch (PROTOCOL.md §7.2): one line on stdin,
 * {@code base64(JSON) + "\n"}. Every field of the v0.63 payload is here.
 *
 * <p>Decoding is as tolerant as wasmbus-rpc: unknown keys are ignored and missing keys take
 * defaults, except {@code env_values}, {@code link_definitions} and {@code cluster_issuers}, which
 * wasmbus-rpc requires and so a compatible host always sends. {@link #toString()} never shows the
 * two seeds or the user JWT.
 *
 * @param latticeRpcTls {@code lattice_rpc_tls}; hosts send a bool or 0/1
 * @param configJson {@code config_json}: the launch configuration string, {@code ""} when none
 * @param defaultRpcTimeoutMs {@code default_rpc_timeout_ms}; 2000 when absent (PROTOCOL.md §4.8)
 * @param invocationSeed the host's cluster seed ({@code SC...}) providers sign invocations with
 * @param jsDomain {@code js_domain}, null when absent or null
 * @param logLevel {@code log_level}, null when absent
 */
public record HostData(
    String hostId,
    String latticeRpcPrefix,
    String linkName,
    String latticeRpcUserJwt,
    String latticeRpcUserSeed,
    String latticeRpcUrl,
    boolean latticeRpcTls,
    Map<String, String> envValues,
    String instanceId,
    String providerKey,
    List<LinkDefinition> linkDefinitions,
    String configJson,
    long defaultRpcTimeoutMs,
    List<String> clusterIssuers,
    String invocationSeed,
    @Nullable String jsDomain,
    boolean structuredLogging,
    @Nullable String logLevel) {

  /** The RPC timeout wasmbus-rpc assumes when the host sends none (PROTOCOL.md §4.8). */
  public static final long DEFAULT_RPC_TIMEOUT_MS = 2000;

  /** Absent (null) values get their defaults: "" for strings, empty collections, 2000 ms. */
  public HostData(
      @Nullable String hostId,
      @Nullable String latticeRpcPrefix,
      @Nullable String linkName,
      @Nullable String latticeRpcUserJwt,
      @Nullable String latticeRpcUserSeed,
      @Nullable String latticeRpcUrl,
      boolean latticeRpcTls,
      @Nullable Map<String, String> envValues,
      @Nullable String instanceId,
      @Nullable String providerKey,
      @Nullable List<LinkDefinition> linkDefinitions,
      @Nullable String configJson,
      long defaultRpcTimeoutMs,
      @Nullable List<String> clusterIssuers,
      @Nullable String invocationSeed,
      @Nullable String jsDomain,
      boolean structuredLogging,
      @Nullable String logLevel) {
    this.hostId = nz(hostId);
    this.latticeRpcPrefix =
        latticeRpcPrefix == null || latticeRpcPrefix.isEmpty() ? "default" : latticeRpcPrefix;
    this.linkName =
        linkName == null || linkName.isEmpty() ? LinkDefinition.DEFAULT_LINK_NAME : linkName;
    this.latticeRpcUserJwt = nz(latticeRpcUserJwt);
    this.latticeRpcUserSeed = nz(latticeRpcUserSeed);
    this.latticeRpcUrl =
        latticeRpcUrl == null || latticeRpcUrl.isEmpty() ? "127.0.0.1:4222" : latticeRpcUrl;
    this.latticeRpcTls = latticeRpcTls;
    this.envValues = envValues == null ? Map.of() : Map.copyOf(envValues);
    this.instanceId = nz(instanceId);
    this.providerKey = nz(providerKey);
    this.linkDefinitions = linkDefinitions == null ? List.of() : List.copyOf(linkDefinitions);
    this.configJson = nz(configJson);
    this.defaultRpcTimeoutMs =
        defaultRpcTimeoutMs <= 0 ? DEFAULT_RPC_TIMEOUT_MS : defaultRpcTimeoutMs;
    this.clusterIssuers = clusterIssuers == null ? List.of() : List.copyOf(clusterIssuers);
    this.invocationSeed = nz(invocationSeed);
    this.jsDomain = jsDomain == null || jsDomain.isBlank() ? null : jsDomain;
    this.structuredLogging = structuredLogging;
    this.logLevel = logLevel == null || logLevel.isBlank() ? null : logLevel;
  }

  /** True when the provider should authenticate with the user JWT and seed (both non-empty). */
  public boolean hasUserCredentials() {
    return !latticeRpcUserJwt.isEmpty() && !latticeRpcUserSeed.isEmpty();
  }

  /** The RPC URL with a {@code nats://} scheme added when it has none. */
  public String natsUrl() {
    return latticeRpcUrl.contains("://") ? latticeRpcUrl : "nats://" + latticeRpcUrl;
  }

  // ---------------------------------------------------------------- JSON

  /** The JSON object in the field order of PROTOCOL.md §7.2. */
  public ObjectNode toJsonNode() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("host_id", hostId);
    o.put("lattice_rpc_prefix", latticeRpcPrefix);
    o.put("link_name", linkName);
    o.put("lattice_rpc_user_jwt", latticeRpcUserJwt);
    o.put("lattice_rpc_user_seed", latticeRpcUserSeed);
    o.put("lattice_rpc_url", latticeRpcUrl);
    o.put("lattice_rpc_tls", latticeRpcTls);
    ObjectNode env = o.putObject("env_values");
    new TreeMap<>(envValues).forEach(env::put);
    o.put("instance_id", instanceId);
    o.put("provider_key", providerKey);
    ArrayNode links = o.putArray("link_definitions");
    linkDefinitions.forEach(l -> links.add(l.toJsonNode()));
    o.put("config_json", configJson);
    o.put("default_rpc_timeout_ms", defaultRpcTimeoutMs);
    ArrayNode issuers = o.putArray("cluster_issuers");
    clusterIssuers.forEach(issuers::add);
    o.put("invocation_seed", invocationSeed);
    if (jsDomain == null) {
      o.putNull("js_domain");
    } else {
      o.put("js_domain", jsDomain);
    }
    o.put("structured_logging", structuredLogging);
    if (logLevel != null) {
      o.put("log_level", logLevel);
    }
    return o;
  }

  public byte[] toJson() {
    return Json.bytes(toJsonNode());
  }

  /**
   * Parses HostData JSON.
   *
   * @throws InvalidHostDataException naming the missing or wrongly typed field
   */
  public static HostData fromJson(byte[] json) {
    JsonNode root =
        Json.readObject(
            json,
            (problem, cause) -> new InvalidHostDataException("HostData is " + problem, cause));
    JsonNode env = required(root, "env_values");
    if (!env.isObject()) {
      throw new InvalidHostDataException("HostData 'env_values' must be an object, got " + env);
    }
    Map<String, String> envValues = new LinkedHashMap<>();
    env.properties()
        .forEach(
            e ->
                envValues.put(
                    e.getKey(),
                    e.getValue().isNull()
                        ? ""
                        : e.getValue().isValueNode()
                            ? e.getValue().asText()
                            : e.getValue().toString()));
    List<LinkDefinition> links = new ArrayList<>();
    for (JsonNode l : array(root, "link_definitions")) {
      links.add(LinkDefinition.fromJsonNode(l));
    }
    List<String> issuers = new ArrayList<>();
    for (JsonNode i : array(root, "cluster_issuers")) {
      if (!i.isTextual()) {
        throw new InvalidHostDataException(
            "HostData 'cluster_issuers' must hold strings, got " + i);
      }
      issuers.add(i.asText());
    }
    JsonNode structured =
        root.has("structured_logging")
            ? root.get("structured_logging")
            : root.get("enable_structured_logging"); // the name hosts <= v0.59 used
    return new HostData(
        text(root, "host_id"),
        text(root, "lattice_rpc_prefix"),
        text(root, "link_name"),
        text(root, "lattice_rpc_user_jwt"),
        text(root, "lattice_rpc_user_seed"),
        text(root, "lattice_rpc_url"),
        truthy(root.get("lattice_rpc_tls")),
        envValues,
        text(root, "instance_id"),
        text(root, "provider_key"),
        links,
        text(root, "config_json"),
        timeout(root.get("default_rpc_timeout_ms")),
        issuers,
        text(root, "invocation_seed"),
        text(root, "js_domain"),
        truthy(structured),
        text(root, "log_level"));
  }

  // ---------------------------------------------------------------- stdin line

  /** {@code base64(JSON) + "\n"}: standard alphabet with padding, as PROTOCOL.md §7.1 step 5. */
  public String toStdinLine() {
    return Base64.getEncoder().encodeToString(toJson()) + "\n";
  }

  /** Decodes the line a provider read from stdin (surrounding whitespace is ignored). */
  public static HostData fromStdinLine(@Nullable String line) {
    if (line == null || line.isBlank()) {
      throw new InvalidHostDataException(
          "no HostData on stdin: expected one line of base64-encoded JSON from the host");
    }
    byte[] json;
    try {
      json = Base64.getDecoder().decode(line.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidHostDataException(
          "HostData line is not standard base64: " + e.getMessage(), e);
    }
    return fromJson(json);
  }

  @Override
  public String toString() {
    return "HostData[host_id="
        + hostId
        + ", lattice="
        + latticeRpcPrefix
        + ", link_name="
        + linkName
        + ", url="
        + latticeRpcUrl
        + ", provider_key="
        + providerKey
        + ", instance_id="
        + instanceId
        + ", links="
        + linkDefinitions.size()
        + ", cluster_issuers="
        + clusterIssuers
        + ", user_credentials="
        + (hasUserCredentials() ? "(redacted)" : "none")
        + ", invocation_seed="
        + (invocationSeed.isEmpty() ? "none" : "(redacted)")
        + ", js_domain="
        + jsDomain
        + ", rpc_timeout_ms="
        + defaultRpcTimeoutMs
        + ", log_level="
        + logLevel
        + "]";
  }

  private static String nz(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidHostDataException(
          "HostData is missing '" + field + "' (required, as wasmbus-rpc requires it)");
    }
    return v;
  }

  private static JsonNode array(JsonNode root, String field) {
    JsonNode v = required(root, field);
    if (!v.isArray()) {
      throw new InvalidHostDataException("HostData '" + field + "' must be an array, got " + v);
    }
    return v;
  }

  private static @Nullable String text(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new InvalidHostDataException("HostData '" + field + "' must be a string, got " + v);
    }
    return v.asText();
  }

  private static boolean truthy(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isNumber()) {
      return v.asLong() != 0;
    }
    return v.asBoolean(false);
  }

  private static long timeout(JsonNode v) {
    if (v == null || v.isNull()) {
      return DEFAULT_RPC_TIMEOUT_MS;
    }
    if (!v.canConvertToLong()) {
      throw new InvalidHostDataException(
          "HostData 'default_rpc_timeout_ms' must be an integer, got " + v);
    }
    return v.asLong();
  }
}
