package io.trellis.oci;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@code WWW-Authenticate} challenge: {@code Basic realm="..."} or {@code Bearer
 * realm="...",service="...",scope="..."} (RFC 6750; the docker token protocol).
 *
 * @param scheme lower-cased: basic or bearer
 * @param params the parameters, names lower-cased
 */
record Challenge(String scheme, Map<String, String> params) {
  public Challenge {
    params = Map.copyOf(params);
  }

  public boolean bearer() {
    return scheme.equals("bearer");
  }

  public boolean basic() {
    return scheme.equals("basic");
  }

  public @Nullable String param(String name) {
    return params.get(name);
  }

  /** Parses the first challenge of a header value; empty when there is none we understand. */
  public static Optional<Challenge> parse(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String h = header.strip();
    int sp = h.indexOf(' ');
    String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
    if (!scheme.equals("basic") && !scheme.equals("bearer")) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    int i = sp < 0 ? h.length() : sp + 1;
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
        i++;
      }
      int eq = h.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String name = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      int j = eq + 1;
      StringBuilder value = new StringBuilder();
      if (j < h.length() && h.charAt(j) == '"') {
        j++;
        while (j < h.length() && h.charAt(j) != '"') {
          if (h.charAt(j) == '\\' && j + 1 < h.length()) {
            j++;
          }
          value.append(h.charAt(j));
          j++;
        }
        j++;
      } else {
        while (j < h.length() && h.charAt(j) != ',') {
          value.append(h.charAt(j));
          j++;
        }
      }
      params.put(name, value.toString().strip());
      i = j;
    }
    return Optional.of(new Challenge(scheme, params));
  }
}
