package io.trellis.host.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jnats accepts one ConnectionListener per connection; this one logs every event and fans it out
 * to the parts of the host that must react (the lattice cache resyncs after a reconnect).
 */
public final class ConnectionEvents implements ConnectionListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionEvents.class);
  private final String name;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

  public ConnectionEvents(String name) {
    this.name = name;
  }

  public void add(ConnectionListener l) {
    listeners.add(l);
  }

  public void remove(ConnectionListener l) {
    listeners.remove(l);
  }

  @Override
  public void connectionEvent(Connection conn, Events type) {
    String url = conn == null ? "?" : String.valueOf(conn.getConnectedUrl());
    switch (type) {
      case DISCONNECTED -> LOG.warn("NATS {} connection lost ({}); reconnecting", name, url);
      case RECONNECTED -> LOG.info("NATS {} connection restored to {}", name, url);
      case CLOSED -> LOG.info("NATS {} connection closed", name);
      case CONNECTED -> LOG.info("NATS {} connection established to {}", name, url);
      default -> LOG.debug("NATS {} connection event {}", name, type);
    }
    for (ConnectionListener l : listeners) {
      try {
        l.connectionEvent(conn, type);
      } catch (RuntimeException e) {
        LOG.warn("a {} connection listener failed on {}: {}", name, type, e.toString());
      }
    }
  }
}
