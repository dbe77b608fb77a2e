package io.trellis.host.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes lattice events as CloudEvents 1.0 structured JSON (PROTOCOL.md §8.5) on {@code
 * wasmbus.evt.{prefix}}, and invocation results on {@code wasmbus.rpcevt.{prefix}} (PROTOCOL.md
 * §4.9) when enabled. Publishing never throws: an event that cannot be sent is logged.
 */
public final class EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
  public static final String TYPE_PREFIX = "com.wasmcloud.lattice.";

  private final Connection connection;
  private final String subject;
  private final String rpcSubject;
  private final String hostId;
  private final Clock clock;
  private final boolean rpcEvents;

  public EventPublisher(
      Connection connection, String lattice, String hostId, Clock clock, boolean rpcEvents) {
    this.connection = connection;
    this.subject = Subjects.events(lattice);
    this.rpcSubject = Subjects.rpcEvents(lattice);
    this.hostId = hostId;
    this.clock = clock;
    this.rpcEvents = rpcEvents;
  }

  public static ObjectNode data() {
    return Json.MAPPER.createObjectNode();
  }

  /**
   * {@code refmap_set}, published only by the host that wrote the mapping (PROTOCOL.md §9.2); hosts
   * that merely observe the KV put do not repeat it.
   */
  public void refMapSet(String ociUrl, String publicKey) {
    ObjectNode o = data();
    o.put("oci_url", ociUrl);
    o.put("public_key", publicKey);
    publish("refmap_set", o);
  }

  public void publish(String name, ObjectNode data) {
    publish(name, data, hostId);
  }

  /**
   * @param source the host id, or "n/a" for link definition events (as the OTP host sends)
   */
  public void publish(String name, ObjectNode data, String source) {
    send(subject, envelope(name, data, source));
  }

  public ObjectNode envelope(String name, ObjectNode data, String source) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("specversion", "1.0");
    e.put("id", UUID.randomUUID().toString());
    e.put("type", TYPE_PREFIX + name);
    e.put("source", source);
    e.put("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    e.put("datacontenttype", "application/json");
    e.set("data", data);
    return e;
  }

  /** An invocation result (PROTOCOL.md §4.9); no-op unless rpc events are enabled. */
  public void invocationResult(
      boolean success, WasmCloudEntity source, WasmCloudEntity dest, String operation, long bytes) {
    if (!rpcEvents) {
      return;
    }
    ObjectNode d = data();
    ObjectNode s = d.putObject("source");
    s.put("public_key", source.publicKey());
    putContract(s, source);
    ObjectNode t = d.putObject("dest");
    t.put("public_key", dest.publicKey());
    putContract(t, dest);
    d.put("operation", operation);
    d.put("bytes", bytes);
    send(rpcSubject, envelope(success ? "invocation_succeeded" : "invocation_failed", d, hostId));
  }

  private static void putContract(ObjectNode o, WasmCloudEntity e) {
    if (e.isActor()) {
      o.putNull("contract_id");
      o.putNull("link_name");
    } else {
      o.put("contract_id", e.contractId());
      o.put("link_name", e.linkName());
    }
  }

  private void send(String subj, ObjectNode event) {
    try {
      connection.publish(subj, Json.bytes(event));
    } catch (RuntimeException e) {
      LOG.warn("could not publish {} event: {}", event.path("type").asText(), e.toString());
    }
  }
}
