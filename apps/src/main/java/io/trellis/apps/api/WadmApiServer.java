package io.trellis.apps.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.apps.internal.Workers;
import io.trellis.wasmbus.json.Json;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves wadm's model API on {@code wadm.api.{lattice}.>} in the queue group {@code wadm_server}
 * (PROTOCOL.md §15.1): any number of servers (every host with its reconciler on, {@code trellis
 * apps serve}) share the requests, since the state lives in JetStream. Requests run on a few
 * platform threads (see {@link Workers}); a malformed one gets wadm's generic error and the server
 * keeps running.
 */
public final class WadmApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WadmApiServer.class);

  private final Connection nc;
  private final ApiSubjects subjects;
  private final ModelApi api;
  private final ExecutorService workers = Workers.pool("trellis-apps-api", 4);
  private final Dispatcher dispatcher;

  private WadmApiServer(Connection nc, ApiSubjects subjects, ModelApi api) {
    this.nc = nc;
    this.subjects = subjects;
    this.api = api;
    this.dispatcher = nc.createDispatcher(m -> workers.execute(() -> handle(m)));
  }

  /** Subscribes; the subscription is active at the server when this returns. */
  public static WadmApiServer start(Connection nc, ApiSubjects subjects, ModelApi api) {
    WadmApiServer s = new WadmApiServer(nc, subjects, api);
    s.dispatcher.subscribe(subjects.all(), ApiSubjects.QUEUE_GROUP);
    try {
      nc.flush(Duration.ofSeconds(5));
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("the API subscription on {} is not confirmed yet: {}", subjects.all(), e.toString());
    }
    LOG.info("serving the application API on {}", subjects.all());
    return s;
  }

  private void handle(Message m) {
    if (m.getReplyTo() == null) {
      return;
    }
    JsonNode reply;
    try {
      reply = answer(m);
    } catch (RuntimeException e) {
      LOG.warn("application API request on {} failed: {}", m.getSubject(), e.toString());
      reply = Replies.error("internal error: " + e.getMessage());
    }
    try {
      nc.publish(m.getReplyTo(), Json.bytes(reply));
    } catch (IllegalStateException e) {
      LOG.debug("cannot reply on {}: {}", m.getReplyTo(), e.toString());
    }
  }

  JsonNode answer(Message m) {
    String rest = subjects.rest(m.getSubject());
    if (rest == null) {
      return Replies.error("Invalid subject: " + m.getSubject());
    }
    String[] t = rest.split("\\.", -1);
    if (t.length < 2 || !t[0].equals("model")) {
      return Replies.error(
          "Unsupported subject: "
              + m.getSubject()
              + " (known: "
              + subjects.model("{operation}")
              + ")");
    }
    if (t.length > 3) {
      return Replies.error(
          "Found extra components of subject, ensure your manifest name consists of only"
              + " alphanumeric characters, dashes, and underscores.");
    }
    String op = t[1];
    String name = t.length == 3 ? t[2] : null;
    byte[] body = m.getData() == null ? new byte[0] : m.getData();
    switch (op) {
      case "list":
        return api.list();
      case "put":
        return api.put(
            body, m.getHeaders() == null ? null : m.getHeaders().getFirst("Content-Type"));
      case "history":
        return Replies.error(
            "Model deployment history is not currently supported. It may be added in a future"
                + " version (versions of a model: "
                + subjects.model("versions", "{name}")
                + ")");
      default:
        break;
    }
    if (name == null || name.isEmpty()) {
      return Replies.error(
          "Invalid subject: " + op + " needs a model name: " + subjects.model(op, "{name}"));
    }
    return switch (op) {
      case "get" -> api.get(name, body);
      case "versions" -> api.versions(name);
      case "del" -> api.delete(name, body);
      case "deploy" -> api.deploy(name, body);
      case "undeploy" -> api.undeploy(name, body);
      case "status" -> api.status(name);
      default ->
          Replies.error(
              "Unsupported subject: "
                  + m.getSubject()
                  + " (operations: list, get, put, versions, del, deploy, undeploy, status)");
    };
  }

  @Override
  public void close() {
    try {
      if (nc.getStatus() != Connection.Status.CLOSED) {
        nc.closeDispatcher(dispatcher);
      }
    } catch (IllegalStateException e) {
      // closed concurrently
    }
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
