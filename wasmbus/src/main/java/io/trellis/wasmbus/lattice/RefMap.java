package io.trellis.wasmbus.lattice;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code REFMAP_...}: which public key an image reference resolved to (PROTOCOL.md §9.2). */
public record RefMap(String ociUrl, String publicKey) {

  public byte[] toJson() {
    var o = Json.MAPPER.createObjectNode();
    o.put("oci_url", ociUrl);
    o.put("public_key", publicKey);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static RefMap fromJson(byte[] json) {
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (n == null || !n.hasNonNull("oci_url") || !n.hasNonNull("public_key")) {
        throw new LatticeException("refmap record needs 'oci_url' and 'public_key'");
      }
      return new RefMap(n.get("oci_url").asText(), n.get("public_key").asText());
    } catch (IOException e) {
      throw new LatticeException("refmap record is not valid JSON: " + e.getMessage());
    }
  }
}
