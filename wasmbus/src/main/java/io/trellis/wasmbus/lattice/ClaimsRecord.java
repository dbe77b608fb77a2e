package io.trellis.wasmbus.lattice;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ProviderMetadata;
import io.trellis.wasmbus.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code CLAIMS_{pk}} value in the lattice bucket (PROTOCOL.md §9.2): every field a string,
 * lists comma-joined, revision in decimal. {@code version} is written as "" rather than null
 * because wash's reader decodes into a map of strings (PROTOCOL.md §13 item 10).
 */
public record ClaimsRecord(
    String callAlias,
    String issuer,
    String name,
    String caps,
    String revision,
    String tags,
    String version,
    String subject,
    String contractId,
    @Nullable String configSchema) {

  public static ClaimsRecord ofActor(Claims<ActorMetadata> c) {
    ActorMetadata m = c.metadata();
    return new ClaimsRecord(
        nz(m.callAlias()),
        c.issuer(),
        nz(m.name()),
        String.join(",", m.capsOrEmpty()),
        Long.toString(c.effectiveRevision()),
        String.join(",", m.tagsOrEmpty()),
        nz(m.ver()),
        c.subject(),
        "",
        null);
  }

  public static ClaimsRecord ofProvider(Claims<ProviderMetadata> c) {
    ProviderMetadata m = c.metadata();
    return new ClaimsRecord(
        "",
        c.issuer(),
        nz(m.name()),
        "",
        Long.toString(c.effectiveRevision()),
        "",
        nz(m.ver()),
        c.subject(),
        nz(m.capabilityContractId()),
        m.configSchema());
  }

  public List<String> capsList() {
    return split(caps);
  }

  public boolean isProvider() {
    return contractId != null && !contractId.isEmpty();
  }

  private static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }

  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("call_alias", nz(callAlias));
      g.writeStringField("iss", nz(issuer));
      g.writeStringField("name", nz(name));
      g.writeStringField("caps", nz(caps));
      g.writeStringField("rev", nz(revision));
      g.writeStringField("tags", nz(tags));
      g.writeStringField("version", nz(version));
      g.writeStringField("sub", nz(subject));
      g.writeStringField("contract_id", nz(contractId));
      if (configSchema != null) {
        g.writeStringField("config_schema", configSchema);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Reads a claims value; tolerant of nulls and numbers where strings are expected. */
  public static ClaimsRecord fromJson(byte[] json) {
    JsonNode n =
        Json.readObject(
            json, (problem, cause) -> new LatticeException("claims record is " + problem, cause));
    String sub = s(n, "sub");
    if (sub.isEmpty()) {
      throw new LatticeException("claims record has no 'sub'");
    }
    JsonNode schema = n.get("config_schema");
    return new ClaimsRecord(
        s(n, "call_alias"),
        s(n, "iss"),
        s(n, "name"),
        s(n, "caps"),
        s(n, "rev"),
        s(n, "tags"),
        s(n, "version"),
        sub,
        s(n, "contract_id"),
        schema == null || schema.isNull() ? null : schema.asText());
  }

  private static String s(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static String nz(@Nullable String s) {
    return s == null ? "" : s;
  }
}
