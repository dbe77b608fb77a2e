package io.trellis.provider.httpserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.provider.sdk.InvalidLinkValueException;
import io.trellis.provider.sdk.LinkValues;
import io.trellis.wasmbus.internal.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One actor's listener settings, read from its link values with the names wasmCloud's
 * httpserver-rs uses (case-insensitive): {@code config_b64} / {@code config_json} (a JSON
 * document {@code {address, cors: {...}, timeout_ms, max_content_len}}), then the flat values
 * {@code address}, {@code port}, {@code timeout_ms}, {@code max_content_len} and the CORS keys,
 * later sources overriding earlier ones. See docs/PROVIDERS.md.
 *
 * @param maxContentLength request bodies above this many bytes get 413
 * @param timeout how long to wait for the actor before answering 504
 */
public record ServerSettings(InetSocketAddress address, CorsPolicy cors, long maxContentLength,
    Duration timeout) {

  /** wasmCloud's default listen address. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:8000";
  public static final long DEFAULT_MAX_CONTENT_LENGTH = 10L * 1024 * 1024;
  /**
   * wasmCloud waits only the lattice RPC timeout (2 s); an actor that itself calls providers
   * easily needs longer, so the default here is 30 s.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public String addressText() {
    return address.getHostString() + ":" + address.getPort();
  }

  public static ServerSettings from(Map<String, String> values) {
    LinkValues v = LinkValues.of(values);
    JsonNode json = json(v);
    String address = DEFAULT_ADDRESS;
    Optional<String> jsonAddress = text(json, "address");
    if (jsonAddress.isPresent()) {
      address = jsonAddress.get();
    }
    if (v.get("address").isPresent()) {
      address = v.get("address").get();
    }
    InetSocketAddress bind = parseAddress(address, "address");
    if (v.get("port").isPresent()) {
      // as httpserver-rs: a bare port binds the loopback interface only
      long port = v.getLong("port", 0);
      if (port < 0 || port > 65535) {
        throw new InvalidLinkValueException("link value port='" + port + "' is not a TCP port");
      }
      bind = new InetSocketAddress("127.0.0.1", (int) port);
    }
    long maxLen = DEFAULT_MAX_CONTENT_LENGTH;
    Optional<String> jsonMax = text(json, "max_content_len");
    if (jsonMax.isPresent()) {
      maxLen = LinkValues.of(Map.of("max_content_len", jsonMax.get())).getSize("max_content_len", maxLen);
    }
    maxLen = v.getSize("max_content_len", maxLen);
    Duration timeout = DEFAULT_TIMEOUT;
    if (json != null && json.hasNonNull("timeout_ms")) {
      timeout = Duration.ofMillis(json.get("timeout_ms").asLong());
    }
    timeout = v.getMillis("timeout_ms", timeout);
    return new ServerSettings(bind, cors(v, json == null ? null : json.get("cors")), maxLen, timeout);
  }

  private static CorsPolicy cors(LinkValues v, JsonNode json) {
    List<String> origins = list(v, json, "allowed_origins", CorsPolicy.DEFAULT.allowedOrigins());
    List<String> methods = list(v, json, "allowed_methods", CorsPolicy.DEFAULT.allowedMethods());
    List<String> headers = list(v, json, "allowed_headers", CorsPolicy.DEFAULT.allowedHeaders());
    List<String> exposed = list(v, json, "exposed_headers", CorsPolicy.DEFAULT.exposedHeaders());
    long maxAge = CorsPolicy.DEFAULT.maxAgeSecs();
    if (json != null && json.hasNonNull("max_age_secs")) {
      maxAge = json.get("max_age_secs").asLong();
    }
    maxAge = v.getLong("max_age_secs", maxAge);
    return CorsPolicy.of(origins, methods, headers, exposed, maxAge);
  }

  private static List<String> list(LinkValues v, JsonNode json, String key, List<String> dflt) {
    if (v.get(key).isPresent()) {
      return v.getList(key);
    }
    if (json != null && json.get(key) != null && json.get(key).isArray()) {
      List<String> out = new ArrayList<>();
      json.get(key).forEach(n -> out.add(n.asText()));
      return out;
    }
    return dflt;
  }

  private static JsonNode json(LinkValues v) {
    String text = null;
    String source = null;
    if (v.get("config_b64").isPresent()) {
      source = "config_b64";
      try {
        // httpserver-rs decodes without padding; accept both
        String b64 = v.get("config_b64").get().replace("=", "");
        text = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidLinkValueException("link value config_b64 is not base64: " + e.getMessage());
      }
    }
    if (v.get("config_json").isPresent()) {
      source = "config_json";
      text = v.get("config_json").get();
    }
    if (text == null) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(text);
      if (n == null || !n.isObject()) {
        throw new InvalidLinkValueException("link value " + source + " must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new InvalidLinkValueException("link value " + source + " is not valid JSON: " + e.getMessage());
    }
  }

  private static Optional<String> text(JsonNode json, String key) {
    if (json == null || !json.hasNonNull(key)) {
      return Optional.empty();
    }
    return Optional.of(json.get(key).asText());
  }

  static InetSocketAddress parseAddress(String text, String key) {
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new InvalidLinkValueException("link value " + key + "='" + text + "' is not host:port");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // [::1]:8080
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new InvalidLinkValueException("link value " + key + "='" + text + "' has no numeric port");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidLinkValueException("link value " + key + "='" + text + "' is not a TCP port");
    }
    return new InetSocketAddress(host, port);
  }
}
