package io.trellis.host.ctl;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.CtlSubjects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of the control interface (PROTOCOL.md §8.1): subscribes on the ctl connection and
 * hands each request to a virtual thread. Any request that cannot be understood gets an error ack
 * naming the problem; nothing a client sends can take the host down.
 */
public final class CtlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CtlServer.class);

  private final Connection connection;
  private final CtlSubjects subjects;
  private final Dispatcher dispatcher;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final QueryHandler queries;
  private final CommandHandler commands;

  public CtlServer(ControlledHost host, Connection connection, ArtifactFetcher fetcher) {
    this.connection = connection;
    HostFacts facts = host.facts();
    this.subjects = new CtlSubjects(facts.ctlTopicPrefix(), facts.latticePrefix());
    this.queries = new QueryHandler(host);
    this.commands = new CommandHandler(host, fetcher);
    this.dispatcher = connection.createDispatcher();
    String hostId = facts.hostId();
    String queue = subjects.queueGroup();
    dispatcher.subscribe(subjects.pingHosts(), m -> handle(m, queries::ping));
    dispatcher.subscribe(subjects.auctions(), m -> handle(m, queries::auction));
    dispatcher.subscribe(subjects.registriesPut(), m -> handle(m, commands::registries));
    dispatcher.subscribe(subjects.linkdefs(), queue, m -> handle(m, commands::linkdefs));
    dispatcher.subscribe(subjects.getAny(), queue, m -> handle(m, queries::lattice));
    dispatcher.subscribe(subjects.inventory(hostId), m -> handle(m, queries::inventory));
    dispatcher.subscribe(subjects.commands(hostId), m -> handle(m, commands::command));
  }

  /** A request handler returns the reply bytes, or null to stay silent (auctions). */
  @FunctionalInterface
  interface Handler {
    byte @Nullable [] handle(Message m);
  }

  private void handle(Message m, Handler h) {
    workers.execute(
        () -> {
          byte[] reply;
          try {
            reply = h.handle(m);
          } catch (LatticeException e) {
            reply = Ack.error(e.getMessage()).toJson();
          } catch (RuntimeException e) {
            LOG.warn("control request on {} failed", m.getSubject(), e);
            reply = Ack.error("internal error handling " + m.getSubject() + ": " + e).toJson();
          }
          if (reply != null && m.getReplyTo() != null) {
            try {
              connection.publish(m.getReplyTo(), reply);
            } catch (IllegalStateException e) {
              LOG.debug("could not reply on {}: {}", m.getSubject(), e.getMessage());
            }
          }
        });
  }

  @Override
  public void close() {
    try {
      connection.closeDispatcher(dispatcher);
    } catch (RuntimeException e) {
      // connection already closed
    }
    workers.shutdown();
  }
}
