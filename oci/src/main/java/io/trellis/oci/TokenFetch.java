package io.trellis.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Gets a Bearer token from the realm of a challenge: {@code GET realm?service=..&scope=..}, with
 * Basic credentials when we have them, anonymously otherwise (the docker token protocol).
 */
final class TokenFetch {
  /** The docker token protocol's default when a token service states no lifetime. */
  private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

  private static final Duration REQUEST_CAP = Duration.ofSeconds(30);

  record Token(String token, Duration lifetime) {
    @Override
    public String toString() {
      return "Token[***, " + lifetime + "]";
    }
  }

  private final Session session;
  private final Challenge challenge;
  private final @Nullable RegistryCredentials credentials;

  TokenFetch(Session session, Challenge challenge, @Nullable RegistryCredentials credentials) {
    this.session = session;
    this.challenge = challenge;
    this.credentials = credentials;
  }

  Token fetch(String scope) {
    String realm = challenge.param("realm");
    if (realm == null || !(realm.startsWith("https://") || realm.startsWith("http://"))) {
      throw session.protocol(
          "the registry's Bearer challenge names no usable token service (realm '" + realm + "')");
    }
    StringBuilder q = new StringBuilder();
    String service = challenge.param("service");
    if (service != null) {
      q.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
    }
    q.append(q.isEmpty() ? "" : "&")
        .append("scope=")
        .append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    URI uri;
    try {
      uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + q);
    } catch (IllegalArgumentException e) {
      throw session.protocol("the token service URL '" + realm + "' is not valid");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    String auth =
        credentials != null && credentials.hasPassword() ? Session.basic(credentials) : null;
    HttpResponse<InputStream> resp =
        session.exchange(Session.Call.get(uri, headers, REQUEST_CAP), uri, auth);
    int status = resp.statusCode();
    if (status == 401 || status == 403) {
      String detail = session.errorText(resp);
      throw new RegistryAuthException(
          session.prefix()
              + "the token service "
              + realm
              + " refused "
              + (auth == null ? "anonymous access" : "user '" + credentials.username() + "'")
              + " (HTTP "
              + status
              + detail
              + ")");
    }
    if (status != 200) {
      throw session.protocol(
          "the token service " + realm + " answered HTTP " + status + session.errorText(resp));
    }
    byte[] body = session.readBody(resp, 1024 * 1024, "the token");
    if (body == null) {
      throw session.protocol("the token service " + realm + " sent more than 1 MiB");
    }
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw session.protocol("the token service " + realm + " did not send JSON");
    }
    String token = n == null ? "" : n.path("token").asText("");
    if (token.isEmpty()) {
      token = n == null ? "" : n.path("access_token").asText("");
    }
    if (token.isEmpty()) {
      throw session.protocol("the token service " + realm + " sent no token");
    }
    long expires = n.path("expires_in").asLong(0);
    return new Token(token, expires > 0 ? Duration.ofSeconds(expires) : DEFAULT_LIFETIME);
  }
}
