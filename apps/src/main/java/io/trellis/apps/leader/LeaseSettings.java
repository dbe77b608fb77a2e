package io.trellis.apps.leader;

import java.time.Duration;

/**
 * Timing of the leader lease (PROTOCOL.md §15.5).
 *
 * @param ttl how long the lease lives without renewal: the bucket's max age, so a dead leader's key
 *     disappears by itself after at most this long
 * @param renewEvery how often the leader renews (well under {@code ttl})
 * @param pollEvery how often the others try to take the lease
 * @param margin the leader stops acting this long before its lease could have expired on the
 *     server, so two reconcilers never both act
 */
public record LeaseSettings(
    Duration ttl, Duration renewEvery, Duration pollEvery, Duration margin) {
  public LeaseSettings {
    if (renewEvery.plus(margin).compareTo(ttl) >= 0) {
      throw new IllegalArgumentException(
          "the lease ttl ("
              + ttl.toMillis()
              + " ms) must exceed renewal ("
              + renewEvery.toMillis()
              + " ms) plus margin ("
              + margin.toMillis()
              + " ms)");
    }
  }

  /** 5 s lease renewed every 1.5 s, polled every 1 s, 1 s margin: takeover within ~6 s. */
  public static LeaseSettings defaults() {
    return new LeaseSettings(
        Duration.ofSeconds(5),
        Duration.ofMillis(1500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1));
  }
}
