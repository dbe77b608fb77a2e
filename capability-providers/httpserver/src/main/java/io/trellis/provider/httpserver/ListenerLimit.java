package io.trellis.provider.httpserver;

import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's connection limit for one listener, saying when it is reached and when it is lifted: a
 * saturated listener makes new clients wait without any error, so the log is where an operator
 * learns to raise {@code max_connections} (or that somebody holds connections open).
 */
final class ListenerLimit extends NetworkConnectionLimit {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerLimit.class);

  private final ServerConnector connector;

  ListenerLimit(int max, ServerConnector connector) {
    super(max, connector);
    this.connector = connector;
  }

  /** The bound address: known only once the connector listens. */
  private String address() {
    return connector.getHost() + ":" + connector.getLocalPort();
  }

  @Override
  protected void limit() {
    super.limit();
    LOG.warn(
        "listener {} holds max_connections={} connections: new ones wait in the accept queue until"
            + " one closes (link value max_connections)",
        address(),
        getMaxNetworkConnectionCount());
  }

  @Override
  protected void unlimit() {
    super.unlimit();
    LOG.info("listener {} accepts connections again", address());
  }
}
