package io.trellis.apps;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads a manifest from YAML or JSON and validates it (PROTOCOL.md §15.1). As in wadm, a {@code
 * Content-Type} of {@code application/json} or {@code application/yaml} picks the parser; without
 * one the text decides (JSON when it starts with '{', YAML otherwise, then the other one).
 */
public final class ManifestParser {
  /** Bigger manifests are refused before parsing (NATS' default payload limit is 1 MiB too). */
  public static final int MAX_BYTES = 1024 * 1024;

  private static final ObjectMapper YAML =
      new YAMLMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper JSON =
      Json.MAPPER.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ManifestParser() {}

  /**
   * Parses and validates.
   *
   * @param contentType the request's Content-Type header, or null
   * @throws InvalidManifestException naming every problem found
   */
  public static Manifest parse(byte[] body, @Nullable String contentType) {
    return ManifestValidator.validate(read(body, contentType));
  }

  /**
   * Validates a manifest tree, e.g. one read back from the store.
   *
   * @throws InvalidManifestException naming every problem found
   */
  public static Manifest fromTree(JsonNode tree) {
    return ManifestValidator.validate(tree);
  }

  /** Only the syntax: the manifest as a JSON tree. */
  public static JsonNode read(byte[] body, @Nullable String contentType) {
    if (body.length == 0) {
      throw problem("(manifest)", "is empty");
    }
    if (body.length > MAX_BYTES) {
      throw problem("(manifest)", "is " + body.length + " bytes; the limit is " + MAX_BYTES);
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.contains("json")) {
      return readWith(JSON, body, "JSON");
    }
    if (type.contains("yaml") || type.contains("yml")) {
      return readWith(YAML, body, "YAML");
    }
    boolean looksJson = new String(body, StandardCharsets.UTF_8).stripLeading().startsWith("{");
    ObjectMapper first = looksJson ? JSON : YAML;
    ObjectMapper second = looksJson ? YAML : JSON;
    try {
      return readWith(first, body, looksJson ? "JSON" : "YAML");
    } catch (InvalidManifestException e) {
      try {
        return readWith(second, body, looksJson ? "YAML" : "JSON");
      } catch (InvalidManifestException ignored) {
        throw e; // the error of the format the text looks like is the useful one
      }
    }
  }

  private static JsonNode readWith(ObjectMapper mapper, byte[] body, String format) {
    JsonNode n;
    try {
      n = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw problem(
          "(manifest)", "is not valid " + format + ": " + e.getOriginalMessage() + location(e));
    } catch (IOException e) {
      throw problem("(manifest)", "is not valid " + format + ": " + e.getMessage());
    }
    if (n == null || n.isMissingNode() || n.isNull()) {
      throw problem("(manifest)", "is empty");
    }
    return n;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static InvalidManifestException problem(String path, String message) {
    return new InvalidManifestException(List.of(new ManifestProblem(path, message)));
  }
}
