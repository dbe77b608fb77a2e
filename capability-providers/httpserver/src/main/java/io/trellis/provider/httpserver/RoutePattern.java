package io.trellis.provider.httpserver;

import io.trellis.provider.sdk.InvalidLinkValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The route of a link, from its {@code path} value (PROTOCOL.md §18): segments separated by {@code
 * /}, each a literal, a parameter {@code :name} (exactly one segment) or, as the last one, {@code
 * *} (any rest of the path, empty included). Without {@code *} a route matches its path exactly;
 * {@code /v1/pages/*} is the prefix form and matches {@code /v1/pages} too. A trailing slash is
 * ignored, on routes and on request paths.
 *
 * <p>When several routes match a path the most specific wins: segment by segment from the left, a
 * literal beats a parameter, a parameter beats the end of an exact route, and that beats {@code *}.
 * Two routes that no path can tell apart (same literals, parameters and wildcard at the same
 * places, whatever the parameter names) conflict.
 *
 * @param text the route as written in the link, for messages
 */
public record RoutePattern(String text, List<Segment> segments, boolean wildcard) {
  private static final Pattern PARAM = Pattern.compile(":[A-Za-z_][A-Za-z0-9_-]*");

  /** One segment of a route: a literal or a parameter. */
  public sealed interface Segment {
    /** The segment's rank when routes are ordered: lower is more specific. */
    int rank();
  }

  /** A segment that must equal the path's segment (after percent-decoding). */
  public record Literal(String value) implements Segment {
    @Override
    public int rank() {
      return 0;
    }
  }

  /** A segment that matches any one non-empty path segment. */
  public record Param(String name) implements Segment {
    @Override
    public int rank() {
      return 1;
    }
  }

  private static final int END = 2;
  private static final int REST = 3;

  public RoutePattern {
    segments = List.copyOf(segments);
  }

  /**
   * Parses a route.
   *
   * @param name how errors name the value, e.g. {@code "link value path"}
   * @throws InvalidLinkValueException naming the route and what is wrong with it
   */
  public static RoutePattern parse(String text, String name) {
    String t = text.strip();
    if (!t.startsWith("/")) {
      throw bad(name, text, "must start with '/'");
    }
    String[] parts = t.substring(1).split("/", -1);
    int n = parts.length;
    if (n > 0 && parts[n - 1].isEmpty()) {
      n--; // "/v1/pages/" is "/v1/pages"; "/" has no segments
    }
    List<Segment> segments = new ArrayList<>();
    boolean wildcard = false;
    for (int i = 0; i < n; i++) {
      String s = parts[i];
      if (s.isEmpty()) {
        throw bad(name, text, "has an empty segment ('//')");
      }
      if (s.equals("*")) {
        if (i != n - 1) {
          throw bad(name, text, "has '*' before its last segment; '*' may only end a route");
        }
        wildcard = true;
      } else if (s.startsWith(":")) {
        if (!PARAM.matcher(s).matches()) {
          throw bad(name, text, "has the invalid parameter '" + s + "' (':' then a name)");
        }
        segments.add(new Param(s.substring(1)));
      } else {
        for (int c = 0; c < s.length(); c++) {
          char ch = s.charAt(c);
          if (ch == '*' || ch == '?' || ch == '#' || ch == '%' || Character.isWhitespace(ch)) {
            throw bad(name, text, "has '" + ch + "' in the segment '" + s + "'");
          }
        }
        segments.add(new Literal(s));
      }
    }
    return new RoutePattern(t, segments, wildcard);
  }

  private static InvalidLinkValueException bad(String name, String text, String why) {
    return new InvalidLinkValueException(
        name
            + "='"
            + text
            + "' "
            + why
            + " (a route looks like /v1/pages, /v1/pages/:id or /v1/pages/*)");
  }

  /**
   * Whether the path's segments match.
   *
   * @param path the decoded request path's non-empty segments
   */
  public boolean matches(List<String> path) {
    int n = segments.size();
    if (wildcard ? path.size() < n : path.size() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (segments.get(i) instanceof Literal l && !l.value().equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether no path can tell the two routes apart: a second one would never be chosen. */
  public boolean conflictsWith(RoutePattern other) {
    return specificity(this, other) == 0;
  }

  /**
   * Orders routes from the most to the least specific; 0 only for routes that conflict. For any
   * path two routes both match, the first in this order is the one that serves it.
   */
  public static int specificity(RoutePattern a, RoutePattern b) {
    int n = Math.max(a.segments.size(), b.segments.size()) + 1;
    for (int i = 0; i < n; i++) {
      int ra = a.rank(i);
      int rb = b.rank(i);
      if (ra != rb) {
        return Integer.compare(ra, rb);
      }
      if (ra == END || ra == REST) {
        return 0; // both ended the same way: same shape
      }
      if (a.segments.get(i) instanceof Literal la && b.segments.get(i) instanceof Literal lb) {
        int c = la.value().compareTo(lb.value());
        if (c != 0) {
          return c; // disjoint routes: any stable order will do
        }
      }
    }
    return 0;
  }

  private int rank(int i) {
    if (i < segments.size()) {
      return segments.get(i).rank();
    }
    return wildcard ? REST : END;
  }

  /**
   * The non-empty segments of a decoded request path ({@code "/a//b/"} is {@code [a, b]}); the same
   * view of a path that {@link #parse} takes of a route.
   */
  public static List<String> segmentsOf(String path) {
    List<String> out = new ArrayList<>(8);
    int start = 0;
    int len = path.length();
    for (int i = 0; i <= len; i++) {
      if (i == len || path.charAt(i) == '/') {
        if (i > start) {
          out.add(path.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }
}
