package io.trellis.host.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of PROTOCOL.md §10.4 in OTP's camelCase: requests, replies and change messages. Only
 * ever used when the cache has no answer, so never on the hot path.
 */
final class PolicyWire {
  private PolicyWire() {}

  static byte[] request(
      String requestId,
      PolicyAction action,
      PolicySource source,
      PolicyTarget target,
      PolicyHost host,
      long nowMillis) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("requestId", requestId);
    o.put("action", action.wireName());
    ObjectNode s = o.putObject("source");
    s.put("publicKey", source.publicKey());
    s.put("contractId", source.contractId());
    s.put("linkName", source.linkName());
    ArrayNode caps = s.putArray("capabilities");
    source.capabilities().forEach(caps::add);
    s.put("issuer", source.issuer());
    Long iat = source.issuedOn();
    s.put("issuedOn", iat == null ? "" : Long.toString(iat));
    Long exp = source.expiresAt();
    if (exp != null) {
      s.put("expiresAt", exp);
    } else if (source.publicKey().isEmpty()) {
      // OTP's placeholder source of start actions expires a minute from now
      s.put("expiresAt", nowMillis / 1000 + 60);
    } else {
      s.putNull("expiresAt");
    }
    s.put("expired", source.expiredAt(nowMillis));
    ObjectNode t = o.putObject("target");
    t.put("publicKey", target.publicKey());
    t.put("issuer", target.issuer());
    putNullable(t, "contractId", target.contractId());
    putNullable(t, "linkName", target.linkName());
    ObjectNode h = o.putObject("host");
    h.put("publicKey", host.publicKey());
    h.put("issuer", host.issuer());
    h.put("latticeId", host.latticeId());
    ObjectNode labels = h.putObject("labels");
    host.labels().get().forEach(labels::put);
    ArrayNode issuers = h.putArray("clusterIssuers");
    host.clusterIssuers().forEach(issuers::add);
    return Json.bytes(o);
  }

  private static void putNullable(ObjectNode o, String k, @Nullable String v) {
    if (v == null) {
      o.putNull(k);
    } else {
      o.put(k, v);
    }
  }

  /**
   * Reads a reply {@code {requestId, permitted, message}}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  static PolicyDecision reply(byte @Nullable [] body, String requestId) {
    JsonNode n = object(body);
    JsonNode permitted = n.get("permitted");
    if (permitted == null || !permitted.isBoolean()) {
      throw new IllegalArgumentException(
          "'permitted' must be true or false, got " + (permitted == null ? "nothing" : permitted));
    }
    JsonNode id = n.get("requestId");
    if (id != null && !id.isNull() && !id.asText().equals(requestId)) {
      throw new IllegalArgumentException(
          "it answers request '" + id.asText() + "', not '" + requestId + "'");
    }
    return new PolicyDecision(permitted.booleanValue(), requestId, message(n));
  }

  /** Reads a change {@code {requestId, permitted, message}} from the changes topic. */
  static PolicyDecision change(byte @Nullable [] body) {
    JsonNode n = object(body);
    JsonNode id = n.get("requestId");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new IllegalArgumentException("'requestId' must be a non-empty string");
    }
    JsonNode permitted = n.get("permitted");
    if (permitted == null || !permitted.isBoolean()) {
      throw new IllegalArgumentException("'permitted' must be true or false");
    }
    return new PolicyDecision(permitted.booleanValue(), id.asText(), message(n));
  }

  private static String message(JsonNode n) {
    JsonNode m = n.get("message");
    return m == null || m.isNull() ? "" : m.isTextual() ? m.asText() : m.toString();
  }

  private static JsonNode object(byte @Nullable [] body) {
    if (body == null || body.length == 0) {
      throw new IllegalArgumentException("the body is empty");
    }
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return n;
  }

  static byte[] changeAnswer(boolean success, String error) {
    ObjectNode o = Json.MAPPER.createObjectNode().put("success", success);
    if (!error.isEmpty()) {
      o.put("error", error);
    }
    return Json.bytes(o);
  }
}
