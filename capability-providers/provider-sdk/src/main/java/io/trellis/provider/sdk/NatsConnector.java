package io.trellis.provider.sdk;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.provider.HostData;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the provider's lattice connection from HostData (PROTOCOL.md §7.3). */
final class NatsConnector {
  private static final Logger LOG = LoggerFactory.getLogger(NatsConnector.class);

  private NatsConnector() {}

  /**
   * {@code lattice_rpc_url} with {@code nats://} added (or {@code tls://} when lattice_rpc_tls).
   */
  static String url(HostData h) {
    String u = h.latticeRpcUrl();
    if (u.contains("://")) {
      return u;
    }
    return (h.latticeRpcTls() ? "tls://" : "nats://") + u;
  }

  static Connection connect(HostData h) {
    String name = "trellis-provider-" + h.providerKey() + "-" + h.linkName();
    Options.Builder b =
        new Options.Builder()
            .server(url(h))
            .connectionName(name)
            .maxReconnects(
                -1) // a provider outlives NATS restarts; the host kills it when it must go
            .reconnectWait(Duration.ofMillis(500))
            .connectionTimeout(Duration.ofSeconds(5))
            .reportNoResponders()
            .connectionListener(listener())
            .errorListener(
                new ErrorListener() {
                  @Override
                  public void errorOccurred(Connection conn, String error) {
                    LOG.warn("NATS error: {}", error);
                  }

                  @Override
                  public void exceptionOccurred(Connection conn, Exception exp) {
                    LOG.warn("NATS exception: {}", exp.toString());
                  }
                });
    if (h.hasUserCredentials()) {
      // JWT + seed only when both are present, as wasmbus-rpc does
      b.authHandler(
          Nats.staticCredentials(
              h.latticeRpcUserJwt().toCharArray(), h.latticeRpcUserSeed().toCharArray()));
    }
    try {
      return Nats.connect(b.build());
    } catch (IOException e) {
      throw new LatticeException(
          "cannot connect to the lattice at " + url(h) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LatticeException("interrupted while connecting to " + url(h), e);
    }
  }

  private static ConnectionListener listener() {
    return (conn, event) -> {
      switch (event) {
        case DISCONNECTED -> LOG.warn("disconnected from NATS; reconnecting");
        case RECONNECTED -> LOG.info("reconnected to NATS at {}", conn.getConnectedUrl());
        default -> LOG.debug("NATS connection event {}", event);
      }
    };
  }
}
