package io.trellis.provider.messaging;

import io.trellis.provider.sdk.Caller;
import io.trellis.provider.sdk.CapabilityProvider;
import io.trellis.provider.sdk.OperationNotHandledException;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.Messaging;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wasmcloud:messaging} on NATS core: actors publish and request; messages on the
 * subscriptions named in their link are delivered to them. Without a {@code URI} link value the
 * provider's lattice connection carries the traffic (with the lattice's own subjects fenced off,
 * see {@link SubjectGuard}).
 */
public final class MessagingProvider extends CapabilityProvider {
  private static final Logger LOG = LoggerFactory.getLogger(MessagingProvider.class);

  private final Map<String, ActorBridge> bridges = new ConcurrentHashMap<>();
  private final ExecutorService deliveries =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("deliver-", 1).factory());

  @Override
  public void onLinkPut(LinkDefinition link) {
    MessagingSettings settings = MessagingSettings.from(link.values());
    bridges.put(link.actorId(), new ActorBridge(context(), link.actorId(), settings, deliveries));
    LOG.info("actor {} messaging: {}", link.actorId(), settings);
  }

  @Override
  public void onLinkDel(LinkDefinition link) {
    ActorBridge b = bridges.remove(link.actorId());
    if (b != null) {
      b.close(); // unsubscribes
    }
  }

  @Override
  public byte[] handle(String operation, byte[] payload, Caller caller) {
    ActorBridge b = bridges.get(caller.actorId());
    if (b == null) {
      throw new LatticeException(
          "actor " + caller.actorId() + " has no messaging connection (link not applied)");
    }
    return switch (operation) {
      case Messaging.PUBLISH -> {
        b.publish(Messaging.Message.fromMsgPack(payload));
        yield new byte[0];
      }
      case Messaging.REQUEST ->
          b.request(Messaging.RequestMessage.fromMsgPack(payload), context().rpcTimeout())
              .toMsgPack();
      default -> throw new OperationNotHandledException(operation);
    };
  }

  @Override
  public void stop() {
    bridges.values().forEach(ActorBridge::close);
    bridges.clear();
    deliveries.shutdown();
  }
}
