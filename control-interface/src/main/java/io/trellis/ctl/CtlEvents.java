package io.trellis.ctl;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** {@link CtlClient}'s event subscriptions (PROTOCOL.md §8.5). */
final class CtlEvents {
  private final Connection nc;
  private final String lattice;
  private final Duration timeout;

  CtlEvents(Connection nc, String lattice, Duration timeout) {
    this.nc = nc;
    this.lattice = lattice;
    this.timeout = timeout;
  }

  EventSubscription subscribe(Consumer<LatticeEventMessage> consumer) {
    Dispatcher d;
    try {
      d =
          nc.createDispatcher(
              m ->
                  LatticeEventMessage.parse(m.getData())
                      .ifPresent(
                          e -> {
                            try {
                              consumer.accept(e);
                            } catch (RuntimeException ignored) {
                              // a failing consumer must not stop the stream for the events after it
                            }
                          }));
      d.subscribe(Subjects.events(lattice));
      nc.flush(timeout);
    } catch (IllegalStateException e) {
      throw new CtlConnectException("cannot subscribe to events: the NATS connection is closed", e);
    } catch (TimeoutException e) {
      throw new CtlTimeoutException(
          "NATS did not confirm the event subscription within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlConnectException("interrupted while subscribing to events", e);
    }
    Dispatcher dispatcher = d;
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true) && nc.getStatus() != Connection.Status.CLOSED) {
        try {
          nc.closeDispatcher(dispatcher);
        } catch (IllegalStateException e) {
          // closed concurrently: nothing left to unsubscribe
        }
      }
    };
  }
}
