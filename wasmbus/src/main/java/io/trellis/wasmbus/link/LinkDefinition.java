package io.trellis.wasmbus.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.internal.Hex;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A link from an actor to a provider for one contract and link name (PROTOCOL.md §6.1). At most one
 * provider serves a given (actor, contract, link name); {@link #id()} is the hash of that triple.
 */
public record LinkDefinition(
    String id,
    String actorId,
    String providerId,
    String linkName,
    String contractId,
    Map<String, String> values) {

  public static final String DEFAULT_LINK_NAME = "default";

  /** A missing id is computed, a missing link name is {@value #DEFAULT_LINK_NAME}. */
  public LinkDefinition(
      @Nullable String id,
      String actorId,
      String providerId,
      @Nullable String linkName,
      String contractId,
      @Nullable Map<String, String> values) {
    this.linkName = linkName == null || linkName.isEmpty() ? DEFAULT_LINK_NAME : linkName;
    this.values = values == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(values));
    this.id =
        id == null || id.isEmpty()
            ? computeId(
                actorId == null ? "" : actorId, contractId == null ? "" : contractId, this.linkName)
            : id;
    this.actorId = actorId;
    this.providerId = providerId;
    this.contractId = contractId;
  }

  public static LinkDefinition of(
      String actorId,
      String providerId,
      @Nullable String linkName,
      String contractId,
      Map<String, String> values) {
    return new LinkDefinition(null, actorId, providerId, linkName, contractId, values);
  }

  /** HEX_UPPER(SHA-256(actor_id ‖ contract_id ‖ link_name)). */
  public static String computeId(String actorId, String contractId, String linkName) {
    return Hex.sha256Upper((actorId + contractId + linkName).getBytes(StandardCharsets.UTF_8));
  }

  /** The id this link would have under the hash rule, even if it was stored with an old UUID id. */
  public String canonicalId() {
    return computeId(actorId, contractId, linkName);
  }

  /**
   * Checks the keys and the contract.
   *
   * @throws InvalidLinkDefinitionException naming the bad field and value
   */
  public LinkDefinition validate() {
    if (actorId == null || !KeyPair.isValidPublicKey(actorId, KeyType.MODULE)) {
      throw new InvalidLinkDefinitionException(
          "link actor_id '" + actorId + "' is not an actor public key (M..., 56 characters)");
    }
    if (providerId == null || !KeyPair.isValidPublicKey(providerId, KeyType.SERVICE)) {
      throw new InvalidLinkDefinitionException(
          "link provider_id '"
              + providerId
              + "' is not a provider public key (V..., 56 characters)");
    }
    if (contractId == null || contractId.isBlank()) {
      throw new InvalidLinkDefinitionException("link contract_id is empty");
    }
    return this;
  }

  public byte[] toMsgPack() {
    MsgPackWriter w = MsgPackWriter.create();
    w.map(6)
        .field("id", id)
        .field("actor_id", actorId)
        .field("provider_id", providerId)
        .field("link_name", linkName)
        .field("contract_id", contractId);
    w.str("values").stringMap(values);
    return w.toByteArray();
  }

  public static LinkDefinition fromMsgPack(byte[] bytes) {
    try (MsgPackReader r = MsgPackReader.of(bytes, "LinkDefinition")) {
      int n = r.mapHeader("LinkDefinition");
      String id = null;
      String actor = "";
      String provider = "";
      String link = "";
      String contract = "";
      Map<String, String> values = Map.of();
      for (int i = 0; i < n; i++) {
        switch (r.key()) {
          case "id" -> id = r.stringOrNull("id");
          case "actor_id" -> actor = r.string("actor_id");
          case "provider_id" -> provider = r.string("provider_id");
          case "link_name" -> link = r.string("link_name");
          case "contract_id" -> contract = r.string("contract_id");
          case "values" -> values = r.stringMap("values");
          default -> r.skip();
        }
      }
      return new LinkDefinition(id, actor, provider, link, contract, values);
    }
  }

  public ObjectNode toJsonNode() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id);
    o.put("actor_id", actorId);
    o.put("provider_id", providerId);
    o.put("link_name", linkName);
    o.put("contract_id", contractId);
    ObjectNode v = o.putObject("values");
    values.forEach(v::put);
    return o;
  }

  public byte[] toJson() {
    return Json.bytes(toJsonNode());
  }

  /**
   * Reads the JSON written by hosts, wash or any tool. Missing {@code id} is computed; every value
   * in {@code values} must be a string.
   *
   * @throws InvalidLinkDefinitionException naming what is wrong
   */
  public static LinkDefinition fromJson(byte[] json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidLinkDefinitionException(
          "link definition is not valid JSON: " + e.getMessage());
    }
    return fromJsonNode(root);
  }

  public static LinkDefinition fromJsonNode(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new InvalidLinkDefinitionException("link definition is not a JSON object");
    }
    Map<String, String> values = new LinkedHashMap<>();
    JsonNode v = root.get("values");
    if (v != null && !v.isNull()) {
      if (!v.isObject()) {
        throw new InvalidLinkDefinitionException(
            "link 'values' must be an object of strings, got " + v);
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (!e.getValue().isTextual()) {
          throw new InvalidLinkDefinitionException(
              "link value '" + e.getKey() + "' must be a string, got " + e.getValue());
        }
        values.put(e.getKey(), e.getValue().asText());
      }
    }
    return new LinkDefinition(
        text(root, "id"),
        required(root, "actor_id"),
        required(root, "provider_id"),
        text(root, "link_name"),
        required(root, "contract_id"),
        values);
  }

  private static String required(JsonNode n, String field) {
    String s = text(n, field);
    if (s == null || s.isEmpty()) {
      throw new InvalidLinkDefinitionException("link definition is missing '" + field + "'");
    }
    return s;
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidLinkDefinitionException(
          "link field '" + field + "' must be a string, got " + v);
    }
    return v.asText();
  }
}
