package io.trellis.host.actors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.runtime.ActorModule;
import io.trellis.host.runtime.InstanceInfo;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.ctl.CtlJson;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The actor lifecycle events of PROTOCOL.md §8.5, in their v0.63 shapes. */
final class ActorEvents {
  private final EventPublisher events;
  private final String hostId;

  void refMapSet(String ociUrl, String publicKey) {
    events.refMapSet(ociUrl, publicKey);
  }

  ActorEvents(EventPublisher events, String hostId) {
    this.events = events;
    this.hostId = hostId;
  }

  static ObjectNode claims(ActorModule m) {
    Claims<ActorMetadata> c = m.claims();
    ObjectNode o = EventPublisher.data();
    o.put("call_alias", m.callAlias() == null ? "" : m.callAlias());
    ArrayNode caps = o.putArray("caps");
    m.metadata().capsOrEmpty().forEach(caps::add);
    o.put("issuer", c.issuer());
    ArrayNode tags = o.putArray("tags");
    m.metadata().tagsOrEmpty().forEach(tags::add);
    o.put("name", m.name());
    o.put("version", m.metadata().ver() == null ? "" : m.metadata().ver());
    o.put("revision", c.effectiveRevision());
    o.put("not_before_human", c.notBeforeHuman());
    o.put("expires_human", c.expiresHuman());
    return o;
  }

  void started(
      ActorModule m,
      String imageRef,
      List<InstanceInfo> instances,
      Map<String, String> annotations) {
    for (InstanceInfo i : instances) {
      ObjectNode d = EventPublisher.data();
      d.put("public_key", m.publicKey());
      d.put("image_ref", imageRef);
      // v0.62+ sends "n/a" here (PROTOCOL.md §13 item 13); we follow the v0.63 shape throughout.
      d.put("api_version", "n/a");
      d.put("instance_id", i.instanceId());
      d.set("annotations", CtlJson.mapNode(i.annotations()));
      d.set("claims", claims(m));
      events.publish("actor_started", d);
    }
    ObjectNode d = EventPublisher.data();
    d.put("public_key", m.publicKey());
    d.put("image_ref", imageRef);
    d.set("annotations", CtlJson.mapNode(annotations));
    d.put("host_id", hostId);
    d.set("claims", claims(m));
    d.put("count", instances.size());
    events.publish("actors_started", d);
  }

  void startFailed(
      String actorRef, @Nullable String publicKey, Map<String, String> annotations, String error) {
    ObjectNode d = EventPublisher.data();
    d.put("actor_ref", actorRef);
    d.put("error", error);
    events.publish("actor_start_failed", d);
    ObjectNode d2 = EventPublisher.data();
    d2.put("public_key", publicKey == null ? "" : publicKey);
    d2.put("image_ref", actorRef);
    d2.set("annotations", CtlJson.mapNode(annotations));
    d2.put("host_id", hostId);
    d2.put("error", error);
    events.publish("actors_start_failed", d2);
  }

  void stopped(
      String publicKey,
      List<InstanceInfo> instances,
      int remaining,
      Map<String, String> annotations) {
    for (InstanceInfo i : instances) {
      ObjectNode d = EventPublisher.data();
      d.put("public_key", publicKey);
      d.put("instance_id", i.instanceId());
      d.set("annotations", CtlJson.mapNode(i.annotations()));
      events.publish("actor_stopped", d);
    }
    ObjectNode d = EventPublisher.data();
    d.put("host_id", hostId);
    d.put("public_key", publicKey);
    d.put("count", instances.size());
    d.put("remaining", remaining);
    d.set("annotations", CtlJson.mapNode(annotations));
    events.publish("actors_stopped", d);
  }

  void updated(String publicKey, long revision, List<InstanceInfo> instances) {
    for (InstanceInfo i : instances) {
      ObjectNode d = EventPublisher.data();
      d.put("public_key", publicKey);
      d.put("revision", revision);
      d.put("instance_id", i.instanceId());
      events.publish("actor_updated", d);
    }
  }

  void updateFailed(String publicKey, long revision, List<InstanceInfo> instances, String reason) {
    for (InstanceInfo i : instances) {
      ObjectNode d = EventPublisher.data();
      d.put("public_key", publicKey);
      d.put("revision", revision);
      d.put("instance_id", i.instanceId());
      d.put("reason", reason);
      events.publish("actor_update_failed", d);
    }
  }
}
