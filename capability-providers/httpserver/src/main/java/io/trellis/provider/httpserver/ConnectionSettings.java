package io.trellis.provider.httpserver;

import java.time.Duration;

/**
 * How a listener treats its TCP connections, from the link values {@code idle_timeout_ms}, {@code
 * header_timeout_ms} and {@code max_connections} (docs/PROVIDERS.md). Links that share a listener
 * share these: it applies the largest any of them asked for.
 *
 * @param idleTimeout a connection on which no byte moves for this long while the client sends a
 *     body or reads a response is closed; never while a request waits for its actor
 * @param headerTimeout a client must complete each request head within this long of opening the
 *     connection or of the previous response, else the connection is closed (with a 408 when part
 *     of a head came): the idle timeout alone never cuts a client that trickles its head
 * @param max connections held at once; beyond it new ones wait in the accept queue until one
 *     closes, so a flood of clients cannot use up the process's file descriptors (its NATS
 *     reconnect needs one)
 */
public record ConnectionSettings(Duration idleTimeout, Duration headerTimeout, int max) {
  public static final ConnectionSettings DEFAULT =
      new ConnectionSettings(Duration.ofSeconds(30), Duration.ofSeconds(30), 1000);

  /** Far above any process's file descriptor limit; a larger value is surely a typo. */
  public static final int MAX_CONNECTIONS = 1_000_000;

  /** The settings that satisfy both: each value the larger of the two. */
  ConnectionSettings widen(ConnectionSettings other) {
    return new ConnectionSettings(
        max(idleTimeout, other.idleTimeout),
        max(headerTimeout, other.headerTimeout),
        Math.max(max, other.max));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
