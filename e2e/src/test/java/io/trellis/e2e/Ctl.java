package io.trellis.e2e;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.ActorCommands;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.CtlSubjects;
import io.trellis.wasmbus.ctl.ProviderCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Raw control-interface requests, so these tests exercise exactly the bytes on the wire (the typed
 * client has its own tests).
 */
final class Ctl {
  private final Connection nc;
  private final CtlSubjects subjects;

  Ctl(Connection nc, String lattice) {
    this.nc = nc;
    this.subjects = new CtlSubjects("wasmbus.ctl", lattice);
  }

  List<String> auctionActor(String ref, Map<String, String> constraints, Duration wait)
      throws Exception {
    String inbox = nc.createInbox();
    Subscription sub = nc.subscribe(inbox);
    nc.publish(
        subjects.auctionActor(), inbox, new Auctions.ActorRequest(ref, constraints).toJson());
    List<String> hosts = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Message m = sub.nextMessage(Duration.ofNanos(left));
      if (m != null) {
        hosts.add(Auctions.ActorAck.fromJson(m.getData()).hostId());
      }
    }
    sub.unsubscribe();
    return hosts;
  }

  Ack command(String host, String cmd, byte[] body) throws Exception {
    Message m = nc.request(subjects.command(host, cmd), body, Duration.ofSeconds(10));
    if (m == null) {
      throw new IllegalStateException("no reply to " + cmd + " from " + host);
    }
    return Ack.fromJson(m.getData());
  }

  Ack startActor(String host, String ref) throws Exception {
    return command(host, "la", new ActorCommands.Start(ref, 1, Map.of(), host).toJson());
  }

  Ack startProvider(String host, String ref) throws Exception {
    return command(
        host, "lp", new ProviderCommands.Start(ref, "default", "", Map.of(), host).toJson());
  }

  Ack startProvider(String host, String ref, String linkName) throws Exception {
    return command(
        host, "lp", new ProviderCommands.Start(ref, linkName, "", Map.of(), host).toJson());
  }

  Ack putLink(byte[] linkJson) throws Exception {
    Message m = nc.request(subjects.linkdefsPut(), linkJson, Duration.ofSeconds(10));
    if (m == null) {
      throw new IllegalStateException("no reply to the link put from any host");
    }
    return Ack.fromJson(m.getData());
  }
}
