package io.trellis.wasmbus.claims;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.jwt.MalformedTokenException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Claims JSON in wascap's field order ({@code exp, jti, iat, iss, sub, nbf, wascap,
 * wascap_revision}). Order is not needed for interop but keeps signed test vectors byte-exact.
 * Reading is tolerant of order, unknown keys and nulls.
 */
public final class ClaimsCodec {
  private static final ObjectMapper MAPPER = Json.MAPPER;
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private ClaimsCodec() {}

  @SuppressWarnings("unchecked")
  public static byte[] toJson(Claims<?> claims) {
    if (claims.metadata() instanceof InvocationMetadata) {
      // every invocation is signed: a template instead of a generator (same bytes)
      byte[] json = InvocationClaimsJson.write((Claims<InvocationMetadata>) claims);
      if (json != null) {
        return json;
      }
    }
    return generate(claims);
  }

  /** The general writer (Jackson's generator), for any claims. */
  static byte[] generate(Claims<?> claims) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      if (claims.expires() != null) {
        g.writeNumberField("exp", claims.expires());
      }
      g.writeStringField("jti", claims.jti());
      g.writeNumberField("iat", claims.issuedAt());
      g.writeStringField("iss", claims.issuer());
      g.writeStringField("sub", claims.subject());
      if (claims.notBefore() != null) {
        g.writeNumberField("nbf", claims.notBefore());
      }
      g.writeFieldName("wascap");
      writeMetadata(g, claims.metadata());
      if (claims.wascapRevision() != null) {
        g.writeNumberField("wascap_revision", claims.wascapRevision());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeMetadata(JsonGenerator g, WascapMetadata m) throws IOException {
    g.writeStartObject();
    switch (m) {
      case ActorMetadata a -> {
        optString(g, "name", a.name());
        g.writeStringField("hash", a.hash());
        optList(g, "tags", a.tags());
        optList(g, "caps", a.caps());
        if (a.rev() != null) {
          g.writeNumberField("rev", a.rev());
        }
        optString(g, "ver", a.ver());
        optString(g, "call_alias", a.callAlias());
        g.writeBooleanField("prov", a.provider());
      }
      case ProviderMetadata p -> {
        optString(g, "name", p.name());
        g.writeStringField("capid", p.capabilityContractId());
        g.writeStringField("vendor", p.vendor());
        if (p.rev() != null) {
          g.writeNumberField("rev", p.rev());
        }
        optString(g, "ver", p.ver());
        g.writeObjectFieldStart("target_hashes");
        for (Map.Entry<String, String> e : p.targetHashes().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        if (p.configSchema() != null) {
          g.writeFieldName("config_schema");
          g.writeTree(MAPPER.readTree(p.configSchema()));
        }
      }
      case InvocationMetadata i -> {
        g.writeStringField("target_url", i.targetUrl());
        g.writeStringField("origin_url", i.originUrl());
        g.writeStringField("hash", i.hash());
      }
    }
    g.writeEndObject();
  }

  private static void optString(JsonGenerator g, String name, @Nullable String value)
      throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  private static void optList(JsonGenerator g, String name, @Nullable List<String> values)
      throws IOException {
    if (values != null) {
      g.writeArrayFieldStart(name);
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
    }
  }

  @SuppressWarnings("unchecked")
  public static Claims<ActorMetadata> parseActor(byte[] json) {
    Claims<?> c = parse(json);
    if (!(c.metadata() instanceof ActorMetadata)) {
      throw new MalformedTokenException(
          "expected actor claims but the token describes " + describe(c.metadata()));
    }
    return (Claims<ActorMetadata>) c;
  }

  @SuppressWarnings("unchecked")
  public static Claims<ProviderMetadata> parseProvider(byte[] json) {
    Claims<?> c = parse(json);
    if (!(c.metadata() instanceof ProviderMetadata)) {
      throw new MalformedTokenException(
          "expected provider claims but the token describes " + describe(c.metadata()));
    }
    return (Claims<ProviderMetadata>) c;
  }

  /**
   * Invocation claims: the shape every signer writes is read directly (see {@link
   * InvocationClaimsJson}); anything else is parsed as any claims are, with the same result.
   */
  @SuppressWarnings("unchecked")
  public static Claims<InvocationMetadata> parseInvocation(byte[] json) {
    Claims<InvocationMetadata> direct = InvocationClaimsJson.read(json);
    if (direct != null) {
      return direct;
    }
    Claims<?> c = parse(json);
    if (!(c.metadata() instanceof InvocationMetadata)) {
      throw new MalformedTokenException(
          "expected invocation claims but the token describes " + describe(c.metadata()));
    }
    return (Claims<InvocationMetadata>) c;
  }

  /** Parses any claims; the kind is recognised from the keys of {@code wascap}. */
  public static Claims<?> parse(byte[] json) {
    JsonNode root =
        Json.readObject(
            json, (problem, cause) -> new MalformedTokenException("claims are " + problem, cause));
    String iss = text(root, "iss");
    String sub = text(root, "sub");
    if (iss == null || iss.isEmpty()) {
      throw new MalformedTokenException("claims have no issuer ('iss')");
    }
    if (sub == null || sub.isEmpty()) {
      throw new MalformedTokenException("claims have no subject ('sub')");
    }
    JsonNode w = root.get("wascap");
    if (w == null || !w.isObject()) {
      throw new MalformedTokenException("No wascap metadata found on claims");
    }
    WascapMetadata meta;
    if (w.has("target_url") || w.has("origin_url")) {
      meta = new InvocationMetadata(text(w, "target_url"), text(w, "origin_url"), text(w, "hash"));
    } else if (w.has("capid")) {
      Map<String, String> hashes = new LinkedHashMap<>();
      JsonNode th = w.get("target_hashes");
      if (th != null && th.isObject()) {
        th.properties().forEach(e -> hashes.put(e.getKey(), e.getValue().asText()));
      }
      JsonNode schema = w.get("config_schema");
      String capid = text(w, "capid");
      if (capid == null || capid.isEmpty()) {
        throw new MalformedTokenException("provider claims have an empty 'capid'");
      }
      meta =
          new ProviderMetadata(
              text(w, "name"),
              capid,
              text(w, "vendor"),
              integer(w, "rev"),
              text(w, "ver"),
              hashes,
              schema == null || schema.isNull() ? null : schema.toString());
    } else {
      JsonNode prov = w.get("prov");
      meta =
          new ActorMetadata(
              text(w, "name"),
              text(w, "hash"),
              list(w, "tags"),
              list(w, "caps"),
              integer(w, "rev"),
              text(w, "ver"),
              text(w, "call_alias"),
              prov != null && prov.asBoolean(false));
    }
    JsonNode iat = root.get("iat");
    return new Claims<>(
        text(root, "jti"),
        iat == null ? 0 : iat.asLong(),
        iss,
        sub,
        longOrNull(root, "exp"),
        longOrNull(root, "nbf"),
        meta,
        integer(root, "wascap_revision"));
  }

  private static String describe(WascapMetadata m) {
    return switch (m) {
      case ActorMetadata a -> "an actor";
      case ProviderMetadata p -> "a capability provider";
      case InvocationMetadata i -> "an invocation";
    };
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static @Nullable Long longOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong()) {
      throw new MalformedTokenException("claim '" + field + "' is not an integer: " + v);
    }
    return v.asLong();
  }

  private static @Nullable Integer integer(JsonNode n, String field) {
    Long l = longOrNull(n, field);
    if (l != null && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
      throw new MalformedTokenException("claim '" + field + "' is out of the 32-bit range: " + l);
    }
    return l == null ? null : (int) (long) l;
  }

  private static @Nullable List<String> list(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new MalformedTokenException("claim '" + field + "' is not a list: " + v);
    }
    List<String> out = new ArrayList<>();
    v.forEach(e -> out.add(e.asText()));
    return out;
  }
}
