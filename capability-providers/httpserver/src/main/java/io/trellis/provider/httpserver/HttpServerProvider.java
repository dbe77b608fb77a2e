package io.trellis.provider.httpserver;

import io.trellis.provider.sdk.CapabilityProvider;
import io.trellis.wasmbus.link.LinkDefinition;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wasmcloud:httpserver}: HTTP listeners at the addresses the links name; every request
 * becomes an {@code HttpServer.HandleRequest} invocation of the linked actor, and the actor's
 * {@code HttpResponse} is written back. A link without a {@code path} has its address to itself;
 * links with a {@code path} share an address and are chosen by route (PROTOCOL.md §18). The SDK
 * does the lattice part; this class only adds and removes routes and listeners as links come and
 * go.
 */
public final class HttpServerProvider extends CapabilityProvider {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerProvider.class);

  private final Listeners listeners = new Listeners();
  private final Map<String, Listeners.Binding> byActor = new ConcurrentHashMap<>();

  @Override
  public void start() throws Exception {
    listeners.start();
  }

  @Override
  public void onLinkPut(LinkDefinition link) throws Exception {
    ServerSettings settings = ServerSettings.from(link.values());
    RequestForwarder forwarder = new RequestForwarder(context(), link.actorId(), settings);
    // a conflicting route or a failed bind (port taken, bad address) throws: the SDK leaves the
    // actor unlinked and tells the host, which publishes linkdef_set_failed (PROTOCOL.md §6.3)
    Listeners.Binding binding = listeners.bind(forwarder);
    byActor.put(link.actorId(), binding);
    LOG.info(
        "actor {} serves {} on http://{}:{} (timeout {} ms, max body {} bytes, CORS {})",
        link.actorId(),
        settings.route() == null ? "every path" : "route " + settings.route(),
        binding.address().getHostString(),
        binding.address().getPort(),
        settings.timeout().toMillis(),
        settings.maxContentLength(),
        settings.cors());
  }

  @Override
  public void onLinkDel(LinkDefinition link) throws Exception {
    Listeners.Binding b = byActor.remove(link.actorId());
    if (b != null) {
      boolean last = b.sharedBy() == 1;
      b.close();
      LOG.info(
          last ? "closed the listener of actor {} on {}" : "removed the route of actor {} on {}",
          link.actorId(),
          b.address());
    }
  }

  @Override
  public void stop() throws Exception {
    listeners.stop();
  }

  /**
   * The address of the listener serving the actor (after resolving port 0), for tests; shared with
   * the other routes on it.
   */
  public Optional<InetSocketAddress> boundAddress(String actorId) {
    return Optional.ofNullable(byActor.get(actorId)).map(Listeners.Binding::address);
  }
}
