package io.trellis.host.ctl;

import io.nats.client.Message;
import io.trellis.host.actors.ActorSupervisor;
import io.trellis.host.config.Labels;
import io.trellis.host.events.Heartbeat;
import io.trellis.host.runtime.InstanceInfo;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.CtlParseException;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.ctl.LatticeQueries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Answers queries: ping, inventory, claims, links, and auctions (PROTOCOL.md §8.2, §8.4). */
final class QueryHandler {
  private final ControlledHost host;
  private final HostFacts facts;

  QueryHandler(ControlledHost host) {
    this.host = host;
    this.facts = host.facts();
  }

  byte[] ping(Message m) {
    Duration uptime = host.uptime();
    HostInfo info =
        new HostInfo(
            facts.hostId(),
            facts.clusterPublicKey(),
            host.labels(),
            facts.friendlyName(),
            uptime.toSeconds(),
            Heartbeat.human(uptime),
            facts.version(),
            String.join(",", facts.clusterIssuers()),
            facts.jsDomain(),
            facts.ctlHost(),
            facts.providerRpcHost(),
            facts.rpcHost(),
            facts.latticePrefix());
    // The OTP host also beats after every ping, so a pinging client sees fresh state.
    host.publishHeartbeat();
    return info.toJson();
  }

  byte[] inventory(Message m) {
    return inventory().toJson();
  }

  HostInventory inventory() {
    List<HostInventory.Actor> actors = new ArrayList<>();
    for (Map.Entry<String, ActorSupervisor.Running> e : host.actors().running().entrySet()) {
      var actor = e.getValue().actor();
      List<HostInventory.Instance> instances = new ArrayList<>();
      for (InstanceInfo i : actor.instances()) {
        instances.add(new HostInventory.Instance(i.annotations(), i.instanceId(), i.revision()));
      }
      actors.add(
          new HostInventory.Actor(
              e.getKey(), e.getValue().imageRef(), actor.module().name(), instances));
    }
    return new HostInventory(
        facts.hostId(),
        facts.clusterPublicKey(),
        host.labels(),
        facts.friendlyName(),
        actors,
        host.providers().inventory());
  }

  byte[] lattice(Message m) {
    String s = m.getSubject();
    if (s.endsWith(".get.claims")) {
      return LatticeQueries.claimsReply(host.lattice().allClaims());
    }
    if (s.endsWith(".get.links")) {
      return LatticeQueries.linksReply(host.lattice().links());
    }
    return Ack.error(
            "unknown query "
                + s.substring(s.lastIndexOf(".get.") + 1)
                + " (known: get.claims, get.links, get.{host}.inv)")
        .toJson();
  }

  byte @Nullable [] auction(Message m) {
    String s = m.getSubject();
    Map<String, String> labels = host.labels();
    try {
      if (s.endsWith(".auction.actor")) {
        Auctions.ActorRequest r = Auctions.ActorRequest.fromJson(m.getData());
        return Labels.satisfies(labels, r.constraints())
            ? new Auctions.ActorAck(r.actorRef(), r.constraints(), facts.hostId()).toJson()
            : null;
      }
      if (s.endsWith(".auction.provider")) {
        Auctions.ProviderRequest r = Auctions.ProviderRequest.fromJson(m.getData());
        if (!Labels.satisfies(labels, r.constraints())
            || host.providers().isRunning(r.providerRef(), r.linkName())) {
          return null;
        }
        return new Auctions.ProviderAck(
                r.providerRef(), r.linkName(), r.constraints(), facts.hostId())
            .toJson();
      }
    } catch (CtlParseException e) {
      return Ack.error(e.getMessage()).toJson();
    }
    return null;
  }
}
