package io.trellis.ctl;

/** A live subscription to lattice events; closing it unsubscribes. Closing twice is harmless. */
public interface EventSubscription extends AutoCloseable {
  @Override
  void close();
}
