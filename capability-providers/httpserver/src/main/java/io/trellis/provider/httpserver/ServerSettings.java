package io.trellis.provider.httpserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.trellis.provider.sdk.InvalidLinkValueException;
import io.trellis.provider.sdk.LinkValues;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One actor's listener settings, read from its link values with the names wasmCloud's httpserver-rs
 * uses (case-insensitive): {@code config_json} (or, without it, {@code config_b64}; a JSON document
 * {@code {address, path, cors: {...}, timeout_ms, max_content_len}} plus Trellis' connection
 * settings), then the flat values {@code address}, {@code port}, {@code path}, {@code timeout_ms},
 * {@code max_content_len}, the CORS keys and the connection settings, which override the document.
 * See docs/PROVIDERS.md.
 *
 * @param maxContentLength request bodies above this many bytes get 413
 * @param timeout how long to wait for the actor before answering 504
 * @param route the link's route on a shared listener (PROTOCOL.md §18); null when the link has the
 *     address to itself
 * @param connections how the listener treats slow and idle clients and how many it holds
 */
public record ServerSettings(
    InetSocketAddress address,
    CorsPolicy cors,
    long maxContentLength,
    Duration timeout,
    @Nullable RoutePattern route,
    ConnectionSettings connections) {

  /** wasmCloud's default listen address. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:8000";

  public static final long DEFAULT_MAX_CONTENT_LENGTH = 10L * 1024 * 1024;

  /**
   * wasmCloud waits only the lattice RPC timeout (2 s); an actor that itself calls providers easily
   * needs longer, so the default here is 30 s.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public String addressText() {
    return address.getHostString() + ":" + address.getPort();
  }

  public static ServerSettings from(Map<String, String> values) {
    LinkValues v = LinkValues.of(values);
    // an empty document when there is none, so every field below reads as absent
    JsonNode json = v.configJson().orElseGet(JsonNodeFactory.instance::objectNode);
    InetSocketAddress bind =
        v.get("address")
            .map(a -> parseAddress(a, "link value address"))
            .or(() -> text(json, "address").map(a -> parseAddress(a, "config_json address")))
            .orElseGet(() -> parseAddress(DEFAULT_ADDRESS, "the default address"));
    if (v.get("port").isPresent()) {
      // as httpserver-rs: a bare port binds the loopback interface only
      long port = v.getLong("port", 0);
      if (port < 0 || port > 65535) {
        throw new InvalidLinkValueException("link value port='" + port + "' is not a TCP port");
      }
      bind = new InetSocketAddress("127.0.0.1", (int) port);
    }
    long maxLen =
        text(json, "max_content_len")
            .map(t -> LinkValues.parseSize("config_json max_content_len", t))
            .orElse(DEFAULT_MAX_CONTENT_LENGTH);
    maxLen = v.getSize("max_content_len", maxLen);
    Duration timeout = millis(v, json, "timeout_ms", DEFAULT_TIMEOUT);
    RoutePattern route =
        v.get("path")
            .map(p -> RoutePattern.parse(p, "link value path"))
            .or(() -> text(json, "path").map(p -> RoutePattern.parse(p, "config_json path")))
            .orElse(null);
    ConnectionSettings connections =
        new ConnectionSettings(
            millis(v, json, "idle_timeout_ms", ConnectionSettings.DEFAULT.idleTimeout()),
            millis(v, json, "header_timeout_ms", ConnectionSettings.DEFAULT.headerTimeout()),
            maxConnections(v, json));
    return new ServerSettings(bind, cors(v, json.get("cors")), maxLen, timeout, route, connections);
  }

  /** A duration in milliseconds, at least 1: the flat value over the JSON document's. */
  private static Duration millis(LinkValues v, JsonNode json, String key, Duration dflt) {
    Duration d = dflt;
    Optional<Long> fromJson = integer(json, key);
    if (fromJson.isPresent()) {
      if (fromJson.get() < 1) {
        throw new InvalidLinkValueException(
            "config_json " + key + "='" + fromJson.get() + "' must be at least 1 (milliseconds)");
      }
      d = Duration.ofMillis(fromJson.get());
    }
    return v.getMillis(key, d);
  }

  private static int maxConnections(LinkValues v, JsonNode json) {
    boolean flat = v.get("max_connections").isPresent();
    long max =
        v.getLong(
            "max_connections",
            integer(json, "max_connections").orElse((long) ConnectionSettings.DEFAULT.max()));
    if (max < 1 || max > ConnectionSettings.MAX_CONNECTIONS) {
      throw new InvalidLinkValueException(
          (flat ? "link value" : "config_json")
              + " max_connections='"
              + max
              + "' must be between 1 and "
              + ConnectionSettings.MAX_CONNECTIONS);
    }
    return (int) max;
  }

  private static CorsPolicy cors(LinkValues v, @Nullable JsonNode json) {
    if (json != null && !json.isNull() && !json.isObject()) {
      throw new InvalidLinkValueException("config_json cors=" + json + " is not a JSON object");
    }
    List<String> origins = list(v, json, "allowed_origins", CorsPolicy.DEFAULT.allowedOrigins());
    List<String> methods = list(v, json, "allowed_methods", CorsPolicy.DEFAULT.allowedMethods());
    List<String> headers = list(v, json, "allowed_headers", CorsPolicy.DEFAULT.allowedHeaders());
    List<String> exposed = list(v, json, "exposed_headers", CorsPolicy.DEFAULT.exposedHeaders());
    long maxAge =
        v.getLong(
            "max_age_secs", integer(json, "max_age_secs").orElse(CorsPolicy.DEFAULT.maxAgeSecs()));
    return CorsPolicy.of(origins, methods, headers, exposed, maxAge);
  }

  /** The flat link value wins over the JSON document's array. */
  private static List<String> list(
      LinkValues v, @Nullable JsonNode json, String key, List<String> dflt) {
    if (v.get(key).isPresent()) {
      return v.getList(key);
    }
    return LinkValues.jsonList(json, key).orElse(dflt);
  }

  /** A field's text; numbers are accepted too ({@code "max_content_len": 1024}). */
  private static Optional<String> text(JsonNode json, String key) {
    JsonNode n = json.get(key);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
  }

  /** An integer field, checked: asLong() would silently read "abc" as 0 and 1.5 as 1. */
  private static Optional<Long> integer(@Nullable JsonNode json, String key) {
    JsonNode n = json == null ? null : json.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new InvalidLinkValueException(
          "config_json "
              + key
              + "='"
              + (n.isTextual() ? n.asText() : n.toString())
              + "' is not an integer");
    }
    return Optional.of(n.asLong());
  }

  /**
   * @param name how errors name the value, e.g. {@code "link value address"}
   */
  static InetSocketAddress parseAddress(String text, String name) {
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new InvalidLinkValueException(name + "='" + text + "' is not host:port");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // [::1]:8080
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new InvalidLinkValueException(name + "='" + text + "' has no numeric port");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidLinkValueException(name + "='" + text + "' is not a TCP port");
    }
    return new InetSocketAddress(host, port);
  }
}
