package io.trellis.cli.up;

import java.time.Duration;

/**
 * When to restart a server that died: after {@code initial}, doubling per consecutive failure up to
 * {@code max}, and not at all after {@code maxAttempts} consecutive failures (something persistent
 * is wrong: the port is taken, the store is damaged). A server that ran {@code stableAfter} counts
 * as healthy again and its next death starts over at {@code initial}.
 */
public record RestartBackoff(
    Duration initial, Duration max, int maxAttempts, Duration stableAfter) {

  public RestartBackoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "restart backoff needs 0 < initial <= max; got " + initial + " and " + max);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1; got " + maxAttempts);
    }
  }

  /** 1 s, 2 s, 4 s, ... 30 s; gives up after 10 failures in a row; a minute up resets. */
  public static RestartBackoff defaults() {
    return new RestartBackoff(
        Duration.ofSeconds(1), Duration.ofSeconds(30), 10, Duration.ofMinutes(1));
  }

  /**
   * The wait before restart number {@code attempt} (1 for the first after a healthy run).
   *
   * @throws IllegalArgumentException when attempt is not in 1..maxAttempts
   */
  public Duration delay(int attempt) {
    if (attempt < 1 || attempt > maxAttempts) {
      throw new IllegalArgumentException(
          "restart attempt must be in 1.." + maxAttempts + "; got " + attempt);
    }
    // initial * 2^(attempt-1), computed without overflow: stop doubling once max is reached.
    Duration d = initial;
    for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
