package io.trellis.provider.httpserver;

import io.trellis.wasmbus.LatticeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side: one Jetty 12 server, one connector (listening socket) per address, added and
 * removed while the server runs. Links that name the same address and a route share its connector
 * (PROTOCOL.md §18); a link without a route has its address to itself. Handlers run on virtual
 * threads, so a request blocked on its actor costs no platform thread. Jetty was chosen over the
 * JDK's HttpServer by measurement (docs/BENCHMARKS.md, "Providers"). Each listener has its own idle
 * timeout, header timeout and connection limit ({@link ConnectionSettings}).
 */
final class Listeners {
  /** How often late request heads are looked for: the header timeout's precision. */
  static final long HEADER_CHECK_MS = 100;

  /** Read by the handler on every request; changed only under this object's lock. */
  private final Map<Connector, Site> sites = new ConcurrentHashMap<>();

  /** Sites by the address their links asked for; port 0 sites are never shared. */
  private final Map<InetSocketAddress, Site> byAddress = new HashMap<>();

  private @Nullable Server server;
  private @Nullable ScheduledExecutorService headerChecks;

  /** One listening socket and the links it serves. */
  static final class Site {
    private final ServerConnector connector;
    private final InetSocketAddress requested;
    private final InetSocketAddress bound;
    private final HeaderDeadlines deadlines;
    private final NetworkConnectionLimit limit;
    private volatile RouteTable routes = RouteTable.EMPTY;
    private ConnectionSettings connections;

    Site(
        ServerConnector connector,
        InetSocketAddress requested,
        InetSocketAddress bound,
        HeaderDeadlines deadlines,
        NetworkConnectionLimit limit,
        ConnectionSettings connections) {
      this.connector = connector;
      this.requested = requested;
      this.bound = bound;
      this.deadlines = deadlines;
      this.limit = limit;
      this.connections = connections;
    }

    RouteTable routes() {
      return routes;
    }

    HeaderDeadlines deadlines() {
      return deadlines;
    }

    /** Widens the listener's connection settings to satisfy a link that joins it. */
    void admit(ConnectionSettings asked) {
      connections = connections.widen(asked);
      connector.setIdleTimeout(connections.idleTimeout().toMillis());
      deadlines.timeout(connections.headerTimeout());
      limit.setMaxNetworkConnectionCount(connections.max());
    }

    String addressText() {
      return bound.getHostString() + ":" + bound.getPort();
    }
  }

  /** A link's place on a site; closing it removes its route, and the site with its last one. */
  final class Binding {
    private final Site site;
    private final RequestForwarder forwarder;

    Binding(Site site, RequestForwarder forwarder) {
      this.site = site;
      this.forwarder = forwarder;
    }

    InetSocketAddress address() {
      return site.bound;
    }

    /** How many links the site serves right now, this one included. */
    int sharedBy() {
      return site.routes.forwarders().size();
    }

    void close() throws Exception {
      unbind(this);
    }
  }

  synchronized void start() throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("http");
    VirtualThreadPool virtual = new VirtualThreadPool();
    virtual.setName("http-vt");
    pool.setVirtualThreadsExecutor(virtual);
    server = new Server(pool);
    server.setHandler(new ActorHandler(sites));
    server.setStopTimeout(2000);
    server.start();
    headerChecks =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("http-header-timeout").factory());
    headerChecks.scheduleWithFixedDelay(
        this::expireLateHeads, HEADER_CHECK_MS, HEADER_CHECK_MS, TimeUnit.MILLISECONDS);
  }

  private void expireLateHeads() {
    long now = System.nanoTime();
    for (Site site : sites.values()) {
      site.deadlines.expire(now);
    }
  }

  /**
   * Serves a link: on the site already listening at its address when both have routes that do not
   * conflict, else on a new listener.
   *
   * @throws io.trellis.provider.sdk.InvalidLinkValueException when the link conflicts with one
   *     already on the address (the message names both)
   * @throws LatticeException when the address cannot be bound
   */
  synchronized Binding bind(RequestForwarder forwarder) throws Exception {
    ServerSettings settings = forwarder.settings();
    InetSocketAddress requested = settings.address();
    Site site = requested.getPort() == 0 ? null : byAddress.get(requested);
    if (site == null) {
      site = open(settings);
      if (requested.getPort() != 0) {
        byAddress.put(requested, site);
      }
    }
    try {
      site.routes = site.routes.with(forwarder, site.addressText());
    } catch (RuntimeException e) {
      if (site.routes.isEmpty()) {
        closeSite(site);
      }
      throw e;
    }
    site.admit(settings.connections());
    return new Binding(site, forwarder);
  }

  private Site open(ServerSettings settings) throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    // one acceptor and one selector per listener: most listeners serve one or a few actors
    ServerConnector connector =
        new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(settings.address().getHostString());
    connector.setPort(settings.address().getPort());
    ConnectionSettings connections = settings.connections();
    connector.setIdleTimeout(connections.idleTimeout().toMillis());
    HeaderDeadlines deadlines = new HeaderDeadlines(connections.headerTimeout());
    connector.addEventListener(deadlines);
    // stops accepting at the limit: new clients wait in the accept queue, none is refused
    NetworkConnectionLimit limit = new ListenerLimit(connections.max(), connector);
    connector.addBean(limit);
    server.addConnector(connector);
    try {
      connector.start();
    } catch (IOException | RuntimeException e) {
      server.removeConnector(connector);
      throw new LatticeException(
          "cannot listen on " + settings.addressText() + ": " + e.getMessage(), e);
    }
    Site site =
        new Site(
            connector,
            settings.address(),
            new InetSocketAddress(settings.address().getHostString(), connector.getLocalPort()),
            deadlines,
            limit,
            connections);
    sites.put(connector, site);
    return site;
  }

  private synchronized void unbind(Binding b) throws Exception {
    Site site = b.site;
    site.routes = site.routes.without(b.forwarder);
    if (site.routes.isEmpty()) {
      closeSite(site);
    }
  }

  private void closeSite(Site site) throws Exception {
    sites.remove(site.connector);
    byAddress.remove(site.requested, site);
    try {
      site.connector.stop();
    } finally {
      server.removeConnector(site.connector);
    }
  }

  synchronized void stop() throws Exception {
    if (headerChecks != null) {
      headerChecks.shutdownNow();
    }
    if (server != null) {
      server.stop();
    }
  }
}
