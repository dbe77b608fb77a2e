package io.trellis.provider.sdk;

import io.trellis.wasmbus.interfaces.Health.HealthResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import org.jspecify.annotations.Nullable;

/**
 * A capability provider: subclass it, override what the contract needs, and run it with {@link
 * ProviderRunner#run}. The SDK does everything the lattice expects of a provider process
 * (PROTOCOL.md §7.3): it connects, validates every inbound invocation, tracks links, answers health
 * checks and shutdown requests, and signs the provider's own calls to actors.
 *
 * <p>Threading: {@link #handle} runs on virtual threads, concurrently; link callbacks run one at a
 * time, in the order the host sent them. Exceptions thrown by any callback never crash the process:
 * from {@code handle} they become the invocation's error text.
 */
public abstract class CapabilityProvider {
  private volatile @Nullable ProviderContext context;

  /** Called by the SDK before anything else; the context stays valid until shutdown. */
  final void attach(ProviderContext ctx) {
    this.context = ctx;
  }

  /** The lattice this provider runs in: host data, links, the NATS connection, calls to actors. */
  protected final ProviderContext context() {
    ProviderContext c = context;
    if (c == null) {
      throw new IllegalStateException(
          "the provider is not running yet: context() is available from start() on");
    }
    return c;
  }

  /** Once, after connecting and before the links from HostData are delivered. */
  public void start() throws Exception {}

  /**
   * An actor was linked to this provider. The SDK calls this once per distinct link: a repeated put
   * with identical values is ignored, and a put with changed values is delivered as {@link
   * #onLinkDel} of the old link followed by {@code onLinkPut} of the new one, so an implementation
   * only ever sets up or tears down. If this throws, the actor stays unlinked (its invocations are
   * refused) until the host sends the link again.
   */
  public void onLinkPut(LinkDefinition link) throws Exception {}

  /** A link was removed: release what {@link #onLinkPut} set up for {@code link.actorId()}. */
  public void onLinkDel(LinkDefinition link) throws Exception {}

  /**
   * Handles one operation from a linked actor (already validated: signature, hash, issuer, target
   * and link). Returns the msgpack result; an empty array for "unit".
   *
   * @throws Exception anything; its message becomes the {@code InvocationResponse} error
   */
  public byte[] handle(String operation, byte[] payload, Caller caller) throws Exception {
    throw new OperationNotHandledException(operation);
  }

  /** Answer to the host's periodic health check (PROTOCOL.md §7.4). */
  public HealthResponse health() {
    return new HealthResponse(true, null);
  }

  /** The process is shutting down: close listeners and connections you opened. */
  public void stop() throws Exception {}
}
