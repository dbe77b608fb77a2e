package io.trellis.provider.sdk;

import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links of this provider instance, one per actor (the provider key and link name are fixed per
 * process). Hosts re-send links freely (every host re-publishes every KV change, and the host
 * re-sends all links after a provider turns healthy), so puts must be idempotent.
 *
 * <p>wasmbus-rpc ignores any put for an already linked actor, which silently drops changed values
 * until the link is deleted; here an identical put is ignored but a changed one is applied, as
 * {@code onLinkDel(old)} then {@code onLinkPut(new)}.
 */
final class LinkRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(LinkRegistry.class);

  private final CapabilityProvider provider;
  private final String providerKey;
  private final String linkName;
  private final Map<String, LinkDefinition> links = new ConcurrentHashMap<>();

  LinkRegistry(CapabilityProvider provider, String providerKey, String linkName) {
    this.provider = provider;
    this.providerKey = providerKey;
    this.linkName = linkName;
  }

  Optional<LinkDefinition> get(String actorId) {
    return Optional.ofNullable(links.get(actorId));
  }

  Collection<LinkDefinition> all() {
    return List.copyOf(links.values());
  }

  /**
   * Applies a put: ignored when foreign or unchanged, re-applied when changed.
   *
   * @return accepted when the link is (now or already) applied; else why not, for the host
   *     (PROTOCOL.md §6.3)
   */
  synchronized Ack put(LinkDefinition link) {
    if (!providerKey.equals(link.providerId()) || !linkName.equals(link.linkName())) {
      LOG.warn(
          "ignoring link of actor {} for provider {} link name '{}': this is {} link name '{}'",
          link.actorId(),
          link.providerId(),
          link.linkName(),
          providerKey,
          linkName);
      return Ack.error(
          "the link is for provider "
              + link.providerId()
              + " link name '"
              + link.linkName()
              + "', not for this provider "
              + providerKey
              + " link name '"
              + linkName
              + "'");
    }
    LinkDefinition previous = links.get(link.actorId());
    if (previous != null && sameLink(previous, link)) {
      LOG.debug("link of actor {} received again, unchanged", link.actorId());
      return Ack.ok();
    }
    if (previous != null) {
      LOG.info("link of actor {} changed values; re-applying it", link.actorId());
      links.remove(link.actorId());
      callDel(previous);
    }
    try {
      provider.onLinkPut(link);
      links.put(link.actorId(), link);
      LOG.info("linked actor {} ({})", link.actorId(), link.contractId());
      return Ack.ok();
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.error("link of actor {} failed and is not applied: {}", link.actorId(), why, e);
      return Ack.error(why);
    }
  }

  /** Applies a delete; one for an actor that is not linked is ignored. */
  synchronized void delete(LinkDefinition link) {
    LinkDefinition previous = links.remove(link.actorId());
    if (previous == null) {
      LOG.debug("delete for actor {} which is not linked; ignored", link.actorId());
      return;
    }
    callDel(previous);
    LOG.info("unlinked actor {}", link.actorId());
  }

  /** Removes every link (at shutdown), telling the provider about each. */
  synchronized void clear() {
    for (LinkDefinition l : all()) {
      links.remove(l.actorId());
      callDel(l);
    }
  }

  private void callDel(LinkDefinition link) {
    try {
      provider.onLinkDel(link);
    } catch (Exception e) {
      LOG.error("removing the link of actor {} failed: {}", link.actorId(), e.getMessage(), e);
    }
  }

  /** Same link and values; the id is ignored because wash-era tools store UUID ids. */
  static boolean sameLink(LinkDefinition a, LinkDefinition b) {
    return Objects.equals(a.actorId(), b.actorId())
        && Objects.equals(a.providerId(), b.providerId())
        && Objects.equals(a.contractId(), b.contractId())
        && Objects.equals(a.linkName(), b.linkName())
        && a.values().equals(b.values());
  }
}
