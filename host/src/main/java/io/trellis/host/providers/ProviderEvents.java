package io.trellis.host.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.host.events.EventPublisher;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ProviderMetadata;
import io.trellis.wasmbus.ctl.CtlJson;
import io.trellis.wasmbus.link.LinkDefinition;

/** Provider lifecycle and health events (PROTOCOL.md §8.5). */
final class ProviderEvents {
  private final EventPublisher events;

  void refMapSet(String ociUrl, String publicKey) {
    events.refMapSet(ociUrl, publicKey);
  }

  ProviderEvents(EventPublisher events) {
    this.events = events;
  }

  void started(SupervisedProvider p) {
    Claims<ProviderMetadata> c = p.claims();
    ObjectNode d = EventPublisher.data();
    d.put("public_key", p.publicKey());
    d.put("image_ref", p.imageRef());
    d.put("link_name", p.linkName());
    d.put("contract_id", p.contractId());
    d.put("instance_id", p.instanceId());
    d.set("annotations", CtlJson.mapNode(p.annotations()));
    ObjectNode claims = d.putObject("claims");
    claims.put("issuer", c.issuer());
    // null, as OTP sends it: wadm reads provider tags as an optional comma-joined string and
    // drops the whole event when it gets an array.
    claims.putNull("tags");
    claims.put("name", c.metadata().name() == null ? "" : c.metadata().name());
    claims.put("version", c.metadata().ver() == null ? "" : c.metadata().ver());
    claims.put("not_before_human", c.notBeforeHuman());
    claims.put("expires_human", c.expiresHuman());
    events.publish("provider_started", d);
  }

  void stopped(SupervisedProvider p, String reason) {
    events.publish("provider_stopped", stoppedData(p, reason));
  }

  /**
   * A provider that exited or was killed by the supervisor: provider_stopped with the restart
   * number and the delay before it (PROTOCOL.md §7.1), so a crash loop shows in the events.
   */
  void crashed(SupervisedProvider p, String reason, int restart, long delayMs) {
    ObjectNode d = stoppedData(p, reason);
    d.put("restart_count", restart);
    d.put("restart_delay_ms", delayMs);
    events.publish("provider_stopped", d);
  }

  private static ObjectNode stoppedData(SupervisedProvider p, String reason) {
    ObjectNode d = EventPublisher.data();
    d.put("public_key", p.publicKey());
    d.put("link_name", p.linkName());
    d.put("contract_id", p.contractId());
    d.put("instance_id", p.instanceId());
    d.set("annotations", CtlJson.mapNode(p.annotations()));
    d.put("reason", reason);
    return d;
  }

  /** A provider refused a link (PROTOCOL.md §6.3): the link's fields and why. */
  void linkRefused(LinkDefinition link, String error) {
    ObjectNode d = link.toJsonNode();
    d.put("error", error);
    events.publish("linkdef_set_failed", d);
  }

  void startFailed(String ref, String linkName, String error) {
    ObjectNode d = EventPublisher.data();
    d.put("provider_ref", ref);
    d.put("link_name", linkName);
    d.put("error", error);
    events.publish("provider_start_failed", d);
  }

  void health(SupervisedProvider p, String name) {
    ObjectNode d = EventPublisher.data();
    d.put("public_key", p.publicKey());
    d.put("contract_id", p.contractId());
    d.put("link_name", p.linkName());
    events.publish(name, d);
  }
}
