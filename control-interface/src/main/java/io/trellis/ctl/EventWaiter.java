package io.trellis.ctl;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Collects the lattice events that match a predicate from the moment it is created, so a caller can
 * subscribe first, then send a command, then wait: no event is lost to the race between the two.
 * Obtain one from {@link CtlClient#waitFor}; close it when done.
 */
public final class EventWaiter implements AutoCloseable {
  private final BlockingQueue<LatticeEventMessage> queue = new LinkedBlockingQueue<>();
  private final EventSubscription subscription;

  EventWaiter(CtlClient client, Predicate<LatticeEventMessage> filter) {
    this.subscription =
        client.events(
            e -> {
              if (filter.test(e)) {
                queue.add(e);
              }
            });
  }

  /** The next matching event, or empty when none arrives within {@code timeout}. */
  public Optional<LatticeEventMessage> next(Duration timeout) {
    try {
      return Optional.ofNullable(
          queue.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The next matching event.
   *
   * @param waitingFor what the event means, for the timeout message (e.g. "host_stopped from N…")
   * @throws CtlTimeoutException when none arrives within {@code timeout}
   */
  public LatticeEventMessage await(Duration timeout, String waitingFor) {
    return next(timeout)
        .orElseThrow(
            () ->
                new CtlTimeoutException(
                    "no " + waitingFor + " event within " + timeout.toMillis() + " ms"));
  }

  @Override
  public void close() {
    subscription.close();
  }
}
