package io.trellis.lattice;

/**
 * Receives {@link LatticeEvent}s in bucket (watch) order, on the cache's single internal thread.
 * Must not block: a slow listener delays every later event and every write that waits for its own
 * change to appear in the view. Exceptions are logged and do not stop delivery.
 */
@FunctionalInterface
public interface LatticeListener {
  void onEvent(LatticeEvent event);
}
