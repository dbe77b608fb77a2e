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
 * {@code wasmcloud:httpserver}: one HTTP listener per linked actor, at the address its link names;
 * every request becomes an {@code HttpServer.HandleRequest} invocation of that actor, and the
 * actor's {@code HttpResponse} is written back. The SDK does the lattice part; this class only
 * opens and closes listeners as links come and go.
 */
public final class HttpServerProvider extends CapabilityProvider {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerProvider.class);

  private final Listeners listeners = new Listeners();
  private final Map<String, Listeners.Listener> byActor = new ConcurrentHashMap<>();

  @Override
  public void start() throws Exception {
    listeners.start();
  }

  @Override
  public void onLinkPut(LinkDefinition link) throws Exception {
    ServerSettings settings = ServerSettings.from(link.values());
    RequestForwarder forwarder = new RequestForwarder(context(), link.actorId(), settings);
    // binding fails (port taken, bad address) → the SDK leaves the actor unlinked and logs why
    Listeners.Listener listener = listeners.open(settings, forwarder);
    byActor.put(link.actorId(), listener);
    LOG.info(
        "actor {} listens on http://{}:{} (timeout {} ms, max body {} bytes, CORS {})",
        link.actorId(),
        listener.address().getHostString(),
        listener.address().getPort(),
        settings.timeout().toMillis(),
        settings.maxContentLength(),
        settings.cors());
  }

  @Override
  public void onLinkDel(LinkDefinition link) throws Exception {
    Listeners.Listener l = byActor.remove(link.actorId());
    if (l != null) {
      l.close();
      LOG.info("closed the listener of actor {} on {}", link.actorId(), l.address());
    }
  }

  @Override
  public void stop() throws Exception {
    listeners.stop();
  }

  /** The address the actor's listener is bound to (after resolving port 0), for tests. */
  public Optional<InetSocketAddress> boundAddress(String actorId) {
    return Optional.ofNullable(byActor.get(actorId)).map(Listeners.Listener::address);
  }
}
