package io.trellis.host.providers;

import io.nats.client.Connection;
import io.trellis.lattice.LatticeCache;
import io.trellis.lattice.LatticeEvent;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.subjects.Subjects;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings link changes to the providers this host supervises (PROTOCOL.md §7.2): every put or delete
 * the lattice cache reports for a running provider, and all of a provider's links again after its
 * first healthy answer.
 */
final class LinkForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(LinkForwarder.class);

  private final Connection rpc;
  private final LatticeCache cache;
  private final String latticePrefix;
  private final BiPredicate<String, String> running;

  /**
   * @param running whether a provider (public key, link name) runs on this host
   */
  LinkForwarder(
      Connection rpc,
      LatticeCache cache,
      String latticePrefix,
      BiPredicate<String, String> running) {
    this.rpc = rpc;
    this.cache = cache;
    this.latticePrefix = latticePrefix;
    this.running = running;
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
    String subject =
        put
            ? Subjects.linkdefsPut(latticePrefix, l.providerId(), l.linkName())
            : Subjects.linkdefsDel(latticePrefix, l.providerId(), l.linkName());
    try {
      rpc.publish(subject, l.toMsgPack());
    } catch (IllegalStateException ex) {
      LOG.warn(
          "could not forward link {} to provider {}: {}", l.id(), l.providerId(), ex.getMessage());
    }
  }

  /** Sends every link that applies to the provider again. */
  void resend(SupervisedProvider p) {
    for (LinkDefinition l : cache.linksForProvider(p.publicKey(), p.linkName())) {
      rpc.publish(Subjects.linkdefsPut(latticePrefix, p.publicKey(), p.linkName()), l.toMsgPack());
    }
  }
}
