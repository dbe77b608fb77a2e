package io.trellis.host.nats;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.trellis.host.config.HostConfig;
import io.trellis.host.config.NatsEndpoint;
import io.trellis.wasmbus.settings.TrustedCa;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's two NATS connections: rpc (invocations, chunking) and ctl (control interface, events,
 * lattice data). Each has its own URL and credentials. Once connected they reconnect forever with
 * exponential backoff (250 ms doubling to 5 s, with jitter).
 */
public final class HostConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HostConnections.class);

  private final Connection rpc;
  private final Connection ctl;

  private HostConnections(Connection rpc, Connection ctl) {
    this.rpc = rpc;
    this.ctl = ctl;
  }

  public static HostConnections connect(HostConfig config) {
    String ca = config.nats().tlsCaPath();
    @Nullable SSLContext ssl = ca.isEmpty() ? null : TrustedCa.sslContext(Path.of(ca));
    Connection ctl =
        open(
            config.nats().ctl(),
            "trellis-" + config.hostId() + "-ctl",
            ssl,
            new ConnectionEvents("ctl"));
    Connection rpc;
    try {
      rpc =
          open(
              config.nats().rpc(),
              "trellis-" + config.hostId() + "-rpc",
              ssl,
              new ConnectionEvents("rpc"));
    } catch (NatsConnectException e) {
      closeQuietly(ctl);
      throw e;
    }
    return new HostConnections(rpc, ctl);
  }

  public static Options options(
      NatsEndpoint e, String name, @Nullable SSLContext ssl, ConnectionEvents events) {
    Options.Builder b =
        new Options.Builder()
            .server(e.url())
            .connectionName(name)
            .maxReconnects(-1)
            .reconnectDelayHandler(HostConnections::backoff)
            .connectionTimeout(Duration.ofSeconds(5))
            .pingInterval(Duration.ofSeconds(10))
            .reportNoResponders()
            .connectionListener(events)
            .errorListener(new LoggingErrorListener(name));
    AuthHandler auth = auth(e);
    if (auth != null) {
      b.authHandler(auth);
    }
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return b.build();
  }

  static @Nullable AuthHandler auth(NatsEndpoint e) {
    if (!e.credsFile().isEmpty()) {
      return Nats.credentials(e.credsFile());
    }
    if (!e.jwt().isEmpty() && !e.seed().isEmpty()) {
      return Nats.staticCredentials(e.jwt().toCharArray(), e.seed().toCharArray());
    }
    if (!e.seed().isEmpty()) {
      return Nats.staticCredentials(null, e.seed().toCharArray());
    }
    return null;
  }

  private static Duration backoff(long attempt) {
    long base = Math.min(5000, 250L << Math.min(attempt, 5));
    return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 4 + 1));
  }

  private static Connection open(
      NatsEndpoint e, String name, @Nullable SSLContext ssl, ConnectionEvents events) {
    try {
      return Nats.connect(options(e, name, ssl, events));
    } catch (IOException ex) {
      throw new NatsConnectException(
          "the host's "
              + events.role()
              + " connection cannot connect to NATS at "
              + e.url()
              + " ("
              + e.authDescription()
              + "): "
              + ex.getMessage()
              + " — is nats-server running? (trellis up starts one)",
          ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new NatsConnectException("interrupted while connecting to NATS at " + e.url(), ex);
    }
  }

  public Connection rpc() {
    return rpc;
  }

  public Connection ctl() {
    return ctl;
  }

  /** Drains both connections: pending messages are delivered, then the connections close. */
  public void drain(Duration timeout) {
    for (Connection c : new Connection[] {rpc, ctl}) {
      try {
        c.drain(timeout).get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (TimeoutException | ExecutionException | RuntimeException e) {
        LOG.debug("drain did not complete: {}", e.toString());
      }
      closeQuietly(c);
    }
  }

  @Override
  public void close() {
    closeQuietly(rpc);
    closeQuietly(ctl);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // closing: nothing more to do
    }
  }

  /** Logs asynchronous connection problems instead of printing stack traces to stderr. */
  private record LoggingErrorListener(String name) implements ErrorListener {
    @Override
    public void errorOccurred(Connection conn, String error) {
      LOG.warn("NATS {}: server error: {}", name, error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
      LOG.warn("NATS {}: {}", name, exp.toString());
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
      LOG.warn("NATS {}: slow consumer, messages are being dropped", name);
    }
  }
}
