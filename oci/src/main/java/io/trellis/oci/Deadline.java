package io.trellis.oci;

import java.time.Duration;

/** The overall time budget of one pull or push, shared by all its requests and reads. */
final class Deadline {
  private final Duration total;
  private final long endNanos;

  private Deadline(Duration total) {
    this.total = total;
    this.endNanos = System.nanoTime() + total.toNanos();
  }

  public static Deadline in(Duration total) {
    return new Deadline(total);
  }

  public Duration total() {
    return total;
  }

  /** What is left, at least 1 ms so that it can be used as a timeout. */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(1_000_000, endNanos - System.nanoTime()));
  }

  public boolean expired() {
    return System.nanoTime() - endNanos >= 0;
  }

  /** The smaller of what is left and {@code cap}. */
  public Duration remainingAtMost(Duration cap) {
    Duration r = remaining();
    return r.compareTo(cap) < 0 ? r : cap;
  }
}
