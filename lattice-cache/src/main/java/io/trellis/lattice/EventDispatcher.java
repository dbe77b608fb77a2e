package io.trellis.lattice;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners on the caller's thread (always the cache's event thread, so events
 * arrive in watch order). A failing listener is logged and skipped; it never stops the watch or the
 * other listeners.
 */
final class EventDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  private final String bucket;
  private final List<LatticeListener> listeners = new CopyOnWriteArrayList<>();

  EventDispatcher(String bucket) {
    this.bucket = bucket;
  }

  AutoCloseable add(LatticeListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void dispatch(List<LatticeEvent> events) {
    for (LatticeEvent e : events) {
      for (LatticeListener l : listeners) {
        try {
          l.onEvent(e);
        } catch (RuntimeException ex) {
          LOG.error("lattice listener {} failed on {} from bucket {}", l, e, bucket, ex);
        }
      }
    }
  }
}
