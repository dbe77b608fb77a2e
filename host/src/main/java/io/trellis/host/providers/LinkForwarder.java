package io.trellis.host.providers;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.trellis.lattice.LatticeCache;
import io.trellis.lattice.LatticeEvent;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.CtlParseException;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.subjects.Subjects;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings link changes to the providers this host supervises (PROTOCOL.md §7.2): every put or delete
 * the lattice cache reports for a running provider, and all of a provider's links again after its
 * first healthy answer.
 *
 * <p>Puts carry a reply subject: a provider built on the Trellis SDK answers with an ack, and a
 * refusal (a conflicting HTTP route, a bad value, a port in use) becomes a {@code
 * linkdef_set_failed} event, so the operator sees it without reading the provider's log
 * (PROTOCOL.md §6.3). Providers that do not answer (wasmbus-rpc) are not waited for.
 */
final class LinkForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(LinkForwarder.class);

  private final Connection rpc;
  private final LatticeCache cache;
  private final String latticePrefix;
  private final BiPredicate<String, String> running;
  private final ProviderEvents events;
  private final String replyPrefix;

  /** The last put sent per reply token: bounded by the links this host forwards. */
  private final Map<String, LinkDefinition> sent = new ConcurrentHashMap<>();

  /**
   * @param running whether a provider (public key, link name) runs on this host
   */
  LinkForwarder(
      Connection rpc,
      LatticeCache cache,
      String latticePrefix,
      BiPredicate<String, String> running,
      ProviderEvents events) {
    this.rpc = rpc;
    this.cache = cache;
    this.latticePrefix = latticePrefix;
    this.running = running;
    this.events = events;
    this.replyPrefix = rpc.createInbox() + ".";
    rpc.createDispatcher(this::onReply).subscribe(replyPrefix + "*");
  }

  /** The cache listener: forwards link puts and deletes. */
  void onLatticeEvent(LatticeEvent e) {
    switch (e) {
      case LatticeEvent.LinkPut put -> forward(put.link(), true);
      case LatticeEvent.LinkDeleted del -> forward(del.link(), false);
      default -> {}
    }
  }

  private void forward(LinkDefinition l, boolean put) {
    if (!running.test(l.providerId(), l.linkName())) {
      return;
    }
    try {
      if (put) {
        send(l);
      } else {
        sent.remove(token(l));
        rpc.publish(
            Subjects.linkdefsDel(latticePrefix, l.providerId(), l.linkName()), l.toMsgPack());
      }
    } catch (IllegalStateException ex) {
      LOG.warn(
          "could not forward link {} to provider {}: {}", l.id(), l.providerId(), ex.getMessage());
    }
  }

  /** Sends every link that applies to the provider again. */
  void resend(SupervisedProvider p) {
    for (LinkDefinition l : cache.linksForProvider(p.publicKey(), p.linkName())) {
      send(l);
    }
  }

  private void send(LinkDefinition l) {
    String token = token(l);
    sent.put(token, l);
    rpc.publish(
        Subjects.linkdefsPut(latticePrefix, l.providerId(), l.linkName()),
        replyPrefix + token,
        l.toMsgPack());
  }

  /** The link's id as one subject token (wash-era ids are UUIDs, Trellis ids hex). */
  private static String token(LinkDefinition l) {
    return l.id().replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private void onReply(Message m) {
    String token = m.getSubject().substring(replyPrefix.length());
    Ack ack;
    try {
      ack = Ack.fromJson(m.getData());
    } catch (CtlParseException e) {
      LOG.debug("unreadable answer to a link put on {}: {}", m.getSubject(), e.getMessage());
      return;
    }
    LinkDefinition l = sent.get(token);
    if (ack.accepted() || l == null) {
      return;
    }
    LOG.warn(
        "provider {} (link name '{}') refused the link of actor {}: {}",
        l.providerId(),
        l.linkName(),
        l.actorId(),
        ack.error());
    events.linkRefused(l, ack.error());
  }
}
