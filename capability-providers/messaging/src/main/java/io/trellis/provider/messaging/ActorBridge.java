package io.trellis.provider.messaging;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.trellis.provider.sdk.ActorCallException;
import io.trellis.provider.sdk.ProviderContext;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.Messaging;
import io.trellis.wasmbus.rpc.NatsRequests;
import io.trellis.wasmbus.rpc.RequestFailure.BadReply;
import io.trellis.wasmbus.rpc.RequestFailure.Cancelled;
import io.trellis.wasmbus.rpc.RequestFailure.ConnectionLost;
import io.trellis.wasmbus.rpc.RequestFailure.Failed;
import io.trellis.wasmbus.rpc.RequestFailure.NoResponders;
import io.trellis.wasmbus.rpc.RequestFailure.TimedOut;
import io.trellis.wasmbus.rpc.RequestOutcome.Replied;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One linked actor's NATS side: the connection it publishes on (the lattice's, or its own from
 * {@code URI}) and its subscriptions, whose messages are delivered to the actor as {@code
 * MessageSubscriber.HandleMessage}.
 */
final class ActorBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActorBridge.class);

  private final String actorId;
  private final MessagingSettings settings;
  private final Connection connection;
  private final boolean ownConnection;
  private final Dispatcher dispatcher;

  ActorBridge(
      ProviderContext context,
      String actorId,
      MessagingSettings settings,
      ExecutorService deliveries) {
    this.actorId = actorId;
    this.settings = settings;
    this.ownConnection = !settings.usesLatticeConnection();
    this.connection = ownConnection ? connect(settings) : context.connection();
    this.dispatcher = connection.createDispatcher();
    try {
      for (MessagingSettings.Subscription s : settings.subscriptions()) {
        if (!ownConnection) {
          SubjectGuard.check(s.subject(), "subscribing");
        }
        if (s.queue() == null) {
          dispatcher.subscribe(s.subject(), m -> deliver(context, deliveries, m));
        } else {
          dispatcher.subscribe(s.subject(), s.queue(), m -> deliver(context, deliveries, m));
        }
      }
      connection.flush(Duration.ofSeconds(5));
    } catch (RuntimeException | TimeoutException | InterruptedException e) {
      close();
      throw new LatticeException(
          "cannot subscribe for actor " + actorId + ": " + e.getMessage(), e);
    }
  }

  private void deliver(ProviderContext context, ExecutorService deliveries, Message m) {
    byte[] msg = new Messaging.Message(m.getSubject(), m.getReplyTo(), m.getData()).toMsgPack();
    deliveries.execute(
        () -> {
          try {
            context.callActor(actorId, Messaging.HANDLE_MESSAGE, msg);
          } catch (ActorCallException e) {
            LOG.warn(
                "delivering a message on {} to actor {} failed: {}",
                m.getSubject(),
                actorId,
                e.getMessage());
          }
        });
  }

  void publish(Messaging.Message m) {
    guard(m.subject(), "publishing");
    if (m.replyTo() == null) {
      connection.publish(m.subject(), m.body());
    } else {
      connection.publish(m.subject(), m.replyTo(), m.body());
    }
  }

  Messaging.Message request(Messaging.RequestMessage r, Duration defaultTimeout) {
    guard(r.subject(), "a request");
    Duration timeout = r.timeoutMs() > 0 ? Duration.ofMillis(r.timeoutMs()) : defaultTimeout;
    String on = "request on '" + r.subject() + "'";
    return switch (NatsRequests.request(connection, r.subject(), r.body(), timeout)) {
      case Replied(Message reply) ->
          new Messaging.Message(reply.getSubject(), reply.getReplyTo(), reply.getData());
      case NoResponders() -> throw new LatticeException(on + ": no responders");
      case TimedOut(Duration waited) ->
          throw new LatticeException(on + " timed out after " + waited.toMillis() + " ms");
      case ConnectionLost lost ->
          throw new LatticeException(on + ": the NATS connection is " + lost.describe());
      case Cancelled() -> throw new LatticeException("interrupted during a " + on);
      case Failed f -> throw new LatticeException(on + " failed: " + f.message(), f.cause());
      case BadReply b -> throw new LatticeException(on + ": " + b.message(), b.cause());
    };
  }

  private void guard(String subject, String what) {
    if (!ownConnection) {
      SubjectGuard.check(subject, what);
    }
  }

  MessagingSettings settings() {
    return settings;
  }

  private static Connection connect(MessagingSettings s) {
    Options.Builder b =
        new Options.Builder()
            .servers(s.servers().toArray(String[]::new))
            .connectionName("trellis-messaging")
            .maxReconnects(-1)
            .reportNoResponders();
    if (s.jwt() != null) {
      b.authHandler(Nats.staticCredentials(s.jwt().toCharArray(), s.seed().toCharArray()));
    }
    try {
      return Nats.connect(b.build());
    } catch (IOException e) {
      throw new LatticeException(
          "cannot connect to NATS at " + s.servers() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LatticeException("interrupted while connecting to " + s.servers(), e);
    }
  }

  @Override
  public void close() {
    try {
      connection.closeDispatcher(dispatcher);
    } catch (RuntimeException e) {
      LOG.debug("closing the dispatcher of actor {}: {}", actorId, e.toString());
    }
    if (ownConnection) {
      try {
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
