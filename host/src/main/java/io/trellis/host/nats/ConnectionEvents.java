package io.trellis.host.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the life of one of the host's NATS connections. Parts that must react to a reconnect (the
 * lattice cache) add their own listener with {@code Connection.addConnectionListener}.
 */
public final class ConnectionEvents implements ConnectionListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionEvents.class);
  private final String name;

  public ConnectionEvents(String name) {
    this.name = name;
  }

  /** Which of the host's connections this is: "rpc" or "ctl". */
  public String role() {
    return name;
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
  }
}
