package io.trellis.provider.sdk;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.provider.HostData;
import io.trellis.wasmbus.settings.TrustedCa;
import java.io.IOException;
import java.nio.file.Path;
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
      b.authHandler(
          Nats.staticCredentials(
              h.latticeRpcUserJwt().toCharArray(), h.latticeRpcUserSeed().toCharArray()));
    } else if (!h.latticeRpcUserSeed().isEmpty()) {
      // wasmbus-rpc needs the JWT too; a seed alone is an nkey user, as the host's own rpc_seed is
      b.authHandler(Nats.staticCredentials(null, h.latticeRpcUserSeed().toCharArray()));
    }
    String ca = System.getenv(TrustedCa.ENV);
    if (ca != null && !ca.isBlank()) {
      b.sslContext(TrustedCa.sslContext(Path.of(ca.strip())));
    }
    try {
      return Nats.connect(b.build());
    } catch (IOException e) {
      throw new LatticeException(
          "provider "
              + h.providerKey()
              + " (link "
              + h.linkName()
              + ") cannot connect to the lattice at "
              + url(h)
              + " ("
              + auth(h)
              + "): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LatticeException("interrupted while connecting to " + url(h), e);
    }
  }

  /** Which credentials were offered, never the secrets. */
  private static String auth(HostData h) {
    if (h.hasUserCredentials()) {
      return "user JWT and seed";
    }
    return h.latticeRpcUserSeed().isEmpty() ? "no credentials" : "nkey seed";
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
