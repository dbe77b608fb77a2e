package io.trellis.provider.httpserver;

import io.trellis.provider.sdk.InvalidLinkValueException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * CORS as wasmCloud's httpserver applies it (warp's cors filter): an empty origin list allows any
 * origin; a preflight ({@code OPTIONS} with {@code Origin} and {@code
 * Access-Control-Request-Method}) is answered by the provider itself, 200 when origin, method and
 * headers are allowed and 403 otherwise; an actual request from a disallowed origin gets 403;
 * requests without {@code Origin} are not CORS and pass untouched.
 */
public record CorsPolicy(
    List<String> allowedOrigins,
    List<String> allowedMethods,
    List<String> allowedHeaders,
    List<String> exposedHeaders,
    long maxAgeSecs) {

  public static final CorsPolicy DEFAULT =
      new CorsPolicy(
          List.of(),
          List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"),
          List.of("accept", "accept-language", "content-type", "content-language"),
          List.of(),
          300);

  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "CONNECT", "PATCH", "TRACE");

  static CorsPolicy of(
      List<String> origins,
      List<String> methods,
      List<String> headers,
      List<String> exposed,
      long maxAge) {
    for (String o : origins) {
      String rest =
          o.startsWith("https://")
              ? o.substring(8)
              : o.startsWith("http://") ? o.substring(7) : null;
      if (rest == null || rest.isEmpty() || rest.replaceFirst("/$", "").contains("/")) {
        throw new InvalidLinkValueException(
            "CORS origin '" + o + "' must look like http[s]://host[:port]");
      }
    }
    List<String> m = methods.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
    for (String s : m) {
      if (!METHODS.contains(s)) {
        throw new InvalidLinkValueException("invalid CORS method: '" + s + "'");
      }
    }
    if (maxAge < 0) {
      throw new InvalidLinkValueException("max_age_secs must not be negative, got " + maxAge);
    }
    return new CorsPolicy(
        origins.stream().map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o).toList(),
        m,
        headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList(),
        exposed.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList(),
        maxAge);
  }

  public boolean originAllowed(String origin) {
    return allowedOrigins.isEmpty() || allowedOrigins.contains(origin);
  }

  /** A preflight: OPTIONS with Origin and Access-Control-Request-Method. */
  public static boolean isPreflight(
      String method, @Nullable String origin, @Nullable String requestMethod) {
    return "OPTIONS".equalsIgnoreCase(method) && origin != null && requestMethod != null;
  }

  /**
   * The decision for an actual (not preflight) cross-origin request.
   *
   * @return null when allowed, else why it is refused (the 403 body, naming the origin)
   */
  public @Nullable String refuseOrigin(String origin) {
    return originAllowed(origin)
        ? null
        : "CORS request forbidden: origin not allowed: '" + origin + "'";
  }

  /**
   * The preflight decision. The refusals keep warp's wording and add the refused value, so whoever
   * reads the 403 knows what to add to the link.
   *
   * @return null when allowed, else why it is refused (the 403 body)
   */
  public @Nullable String refusePreflight(
      String origin, String requestMethod, @Nullable String requestHeaders) {
    String refused = refuseOrigin(origin);
    if (refused != null) {
      return refused;
    }
    if (!allowedMethods.contains(requestMethod.toUpperCase(Locale.ROOT))) {
      return "CORS request forbidden: requested method not allowed: '" + requestMethod + "'";
    }
    if (requestHeaders != null) {
      for (String h : requestHeaders.split(",")) {
        String name = h.strip().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !allowedHeaders.contains(name)) {
          return "CORS request forbidden: header not allowed: '" + h.strip() + "'";
        }
      }
    }
    return null;
  }

  public String methodsHeader() {
    return String.join(", ", allowedMethods);
  }

  public String headersHeader() {
    return String.join(", ", new TreeSet<>(allowedHeaders));
  }

  public String exposedHeader() {
    return exposedHeaders.stream().collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return "origins="
        + (allowedOrigins.isEmpty() ? "any" : allowedOrigins)
        + " methods="
        + allowedMethods;
  }
}
