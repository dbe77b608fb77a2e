package io.trellis.provider.httpserver;

import io.trellis.wasmbus.LatticeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side: one Jetty 12 server, one connector (listening socket) per linked actor, added and
 * removed while the server runs. Handlers run on virtual threads, so a request blocked on its actor
 * costs no platform thread. Jetty was chosen over the JDK's HttpServer by measurement
 * (docs/BENCHMARKS.md, "Providers").
 */
final class Listeners {
  private final Map<Connector, RequestForwarder> routes = new ConcurrentHashMap<>();
  private @Nullable Server server;

  /** An open listener; closing it stops accepting and drops its connections. */
  final class Listener {
    private final ServerConnector connector;
    private final InetSocketAddress address;

    Listener(ServerConnector connector, InetSocketAddress address) {
      this.connector = connector;
      this.address = address;
    }

    InetSocketAddress address() {
      return address;
    }

    void close() throws Exception {
      routes.remove(connector);
      try {
        connector.stop();
      } finally {
        server.removeConnector(connector);
      }
    }
  }

  synchronized void start() throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("http");
    VirtualThreadPool virtual = new VirtualThreadPool();
    virtual.setName("http-vt");
    pool.setVirtualThreadsExecutor(virtual);
    server = new Server(pool);
    server.setHandler(new ActorHandler(routes));
    server.setStopTimeout(2000);
    server.start();
  }

  synchronized Listener open(ServerSettings settings, RequestForwarder forwarder) throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    // one acceptor and one selector per listener: there is one listener per linked actor
    ServerConnector connector =
        new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(settings.address().getHostString());
    connector.setPort(settings.address().getPort());
    // never let the connection idle timeout cut a request that is still waiting for its actor
    connector.setIdleTimeout(Math.max(30_000, settings.timeout().toMillis() + 5_000));
    server.addConnector(connector);
    routes.put(connector, forwarder);
    try {
      connector.start();
    } catch (IOException | RuntimeException e) {
      routes.remove(connector);
      server.removeConnector(connector);
      throw new LatticeException(
          "cannot listen on " + settings.addressText() + ": " + e.getMessage(), e);
    }
    return new Listener(
        connector,
        new InetSocketAddress(settings.address().getHostString(), connector.getLocalPort()));
  }

  synchronized void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }
}
