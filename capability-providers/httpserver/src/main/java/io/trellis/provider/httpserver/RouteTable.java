package io.trellis.provider.httpserver;

import io.trellis.provider.sdk.InvalidLinkValueException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The links one listener serves (PROTOCOL.md §18): either one link without a route, which has the
 * address to itself (the classic one-actor-per-address mode), or any number of links with routes
 * that do not conflict, ordered from the most to the least specific. Immutable: a link put or
 * delete builds a new table, and requests read the current one without locking.
 */
final class RouteTable {
  static final RouteTable EMPTY = new RouteTable(null, List.of());

  private final @Nullable RequestForwarder whole;
  private final List<RequestForwarder> routed;

  private RouteTable(@Nullable RequestForwarder whole, List<RequestForwarder> routed) {
    this.whole = whole;
    this.routed = routed;
  }

  boolean isEmpty() {
    return whole == null && routed.isEmpty();
  }

  /** Every link in the table. */
  List<RequestForwarder> forwarders() {
    if (whole != null) {
      return List.of(whole);
    }
    return routed;
  }

  /**
   * The link that serves a request for {@code canonicalPath} (decoded, dot segments resolved), or
   * null when no route matches.
   */
  @Nullable RequestForwarder find(String canonicalPath) {
    if (whole != null) {
      return whole;
    }
    List<String> segments = RoutePattern.segmentsOf(canonicalPath);
    for (RequestForwarder f : routed) {
      if (f.route().matches(segments)) {
        return f;
      }
    }
    return null;
  }

  /**
   * This table with one more link.
   *
   * @param address the listener's address, for the refusal
   * @throws InvalidLinkValueException when the link cannot share the address with one already in
   *     the table; the message names both links
   */
  RouteTable with(RequestForwarder added, String address) {
    RoutePattern route = added.settings().route();
    if (whole != null) {
      throw new InvalidLinkValueException(
          "The "
              + describe(added)
              + " cannot share "
              + address
              + " with the link of actor "
              + whole.actorId()
              + ", which has no path and so serves the whole address; give that link a path"
              + " too, or use another address");
    }
    if (route == null) {
      if (routed.isEmpty()) {
        return new RouteTable(added, List.of());
      }
      throw new InvalidLinkValueException(
          "The "
              + describe(added)
              + " has no path, so it needs "
              + address
              + " to itself, but the "
              + describe(routed.get(0))
              + " already serves routes there; give it a path, or use another address");
    }
    List<RequestForwarder> next = new ArrayList<>(routed.size() + 1);
    boolean placed = false;
    for (RequestForwarder f : routed) {
      int order = RoutePattern.specificity(route, f.route());
      if (order == 0) {
        throw new InvalidLinkValueException(
            "The "
                + describe(added)
                + " conflicts with the "
                + describe(f)
                + " on "
                + address
                + ": both routes match the same paths; change one of the paths");
      }
      if (order < 0 && !placed) {
        next.add(added);
        placed = true;
      }
      next.add(f);
    }
    if (!placed) {
      next.add(added);
    }
    return new RouteTable(null, List.copyOf(next));
  }

  /** This table without the link (the same table when it is not there). */
  RouteTable without(RequestForwarder removed) {
    if (whole == removed) {
      return EMPTY;
    }
    if (!routed.contains(removed)) {
      return this;
    }
    List<RequestForwarder> next = new ArrayList<>(routed);
    next.remove(removed);
    return next.isEmpty() ? EMPTY : new RouteTable(null, List.copyOf(next));
  }

  static String describe(RequestForwarder f) {
    RoutePattern route = f.settings().route();
    return "link of actor "
        + f.actorId()
        + (route == null ? " (no path)" : " (path " + route.text() + ")");
  }

  @Override
  public String toString() {
    if (whole != null) {
      return "whole address: " + whole.actorId();
    }
    return routed.stream().map(f -> f.route().text() + " -> " + f.actorId()).toList().toString();
  }
}
