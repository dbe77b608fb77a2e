package io.trellis.e2e.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.wasmbus.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A tiny stand-in for the app manager that answers wadm's NATS API ({@code
 * wadm.api.{lattice}.model.*}) with the documented JSON shapes, so the dashboard's apps view is
 * tested against the API rather than against one implementation of it. It keeps a few apps in
 * memory and records the requests it got.
 */
final class AppManagerStandIn implements AutoCloseable {
  record App(String name, String version, String deployed, ObjectNode status) {}

  final Map<String, App> apps = new ConcurrentHashMap<>();
  final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private final Connection nc;
  private final Dispatcher dispatcher;
  private final String prefix;

  AppManagerStandIn(Connection nc, String lattice) {
    this.nc = nc;
    this.prefix = "wadm.api." + lattice + ".model.";
    this.dispatcher = nc.createDispatcher(this::answer);
    dispatcher.subscribe(prefix + ">");
  }

  void add(App app) {
    apps.put(app.name(), app);
  }

  static ObjectNode status(String type, String message) {
    return Json.MAPPER.createObjectNode().put("type", type).put("message", message);
  }

  /** A status document: overall, then components as [name, type, status, message, traits...]. */
  static ObjectNode appStatus(String version, ObjectNode overall, List<ObjectNode> components) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("version", version);
    s.set("status", overall);
    ArrayNode c = s.putArray("components");
    components.forEach(c::add);
    return s;
  }

  static ObjectNode component(String name, String type, ObjectNode status, ObjectNode... traits) {
    ObjectNode c = Json.MAPPER.createObjectNode().put("name", name).put("type", type);
    c.set("status", status);
    ArrayNode t = c.putArray("traits");
    for (ObjectNode trait : traits) {
      t.add(trait);
    }
    return c;
  }

  static ObjectNode trait(String type, ObjectNode status) {
    ObjectNode t = Json.MAPPER.createObjectNode().put("type", type);
    t.set("status", status);
    return t;
  }

  private void answer(Message m) {
    String op = m.getSubject().substring(prefix.length());
    requests.add(op);
    String name = op.contains(".") ? op.substring(op.indexOf('.') + 1) : "";
    ObjectNode r = Json.MAPPER.createObjectNode();
    JsonNode reply = r;
    App app = apps.get(name);
    if (op.equals("list")) {
      ArrayNode list = Json.MAPPER.createArrayNode();
      for (App a : apps.values()) {
        ObjectNode s = list.addObject().put("name", a.name()).put("version", a.version());
        if (a.deployed() != null) {
          s.put("deployed_version", a.deployed());
        }
        s.put("status", a.status().path("status").path("type").asText());
        s.put("status_message", a.status().path("status").path("message").asText());
      }
      reply = list;
    } else if (op.equals("put")) {
      String body = new String(m.getData(), StandardCharsets.UTF_8);
      if (!body.contains("kind: Application") && !body.contains("\"Application\"")) {
        r.put("result", "error").put("message", "manifest is not an OAM Application");
      } else {
        r.put("result", "created").put("total_versions", 1).put("current_version", "v1");
        r.put("message", "Successfully put manifest").put("name", "uploaded");
      }
    } else if (app == null) {
      r.put("result", "notfound").put("message", "Model not found");
    } else if (op.startsWith("status.")) {
      r.put("result", "ok").put("message", "");
      r.set("status", app.status());
    } else if (op.startsWith("deploy.")) {
      apps.put(name, new App(name, app.version(), app.version(), withOverall(app, "reconciling")));
      r.put("result", "acknowledged").put("message", "Deployed model " + name);
    } else if (op.startsWith("undeploy.")) {
      apps.put(name, new App(name, app.version(), null, withOverall(app, "undeployed")));
      r.put("result", "acknowledged").put("message", "Undeployed model " + name);
    } else {
      r.put("result", "error").put("message", "not supported here: " + op);
    }
    nc.publish(m.getReplyTo(), Json.bytes(reply));
  }

  private static ObjectNode withOverall(App app, String type) {
    ObjectNode s = app.status().deepCopy();
    s.set("status", status(type, ""));
    return s;
  }

  @Override
  public void close() {
    nc.closeDispatcher(dispatcher);
  }
}
