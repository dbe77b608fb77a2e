package io.trellis.lattice;

import io.nats.client.Connection;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.InvalidLinkDefinitionException;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The host's view of the lattice metadata bucket {@code LATTICEDATA_{prefix}} (PROTOCOL.md §9):
 * link definitions, claims, call aliases and image reference maps, mirrored in memory and kept
 * current by a JetStream KV watch.
 *
 * <p><b>Reads</b> never touch the network: they answer from the local view, also while NATS is
 * disconnected (then they serve the last known state). <b>Writes</b> go to the bucket and return
 * once the bucket accepted them and the watch has brought the change into the local view
 * (read-your-writes), bounded by {@link LatticeCacheOptions#requestTimeout()}. A write that cannot
 * reach the bucket throws {@link LatticeStoreUnavailableException}; it is never queued or dropped
 * silently.
 *
 * <p><b>Consistency</b>: after a reconnect, a server restart, a stalled watch or a recreated
 * bucket, the cache resyncs by itself (new watch, full snapshot, reconcile, events for every
 * difference); the instance stays valid throughout. It registers its own connection listener with
 * {@link Connection#addConnectionListener}, so the host has nothing to wire (see
 * docs/LATTICE-CACHE.md).
 *
 * <p>All methods are thread-safe.
 */
public interface LatticeCache extends AutoCloseable {

  /**
   * Ensures the bucket (binds to an existing one whatever its configuration, else creates it with
   * the PROTOCOL.md §9.1 configuration), loads the full current contents, then keeps watching.
   *
   * @param nc an open connection; the host keeps ownership (closing the cache does not close it)
   * @throws LatticeStoreUnavailableException if the bucket cannot be bound or created, or the
   *     initial load does not finish within {@link LatticeCacheOptions#loadTimeout()}
   */
  static LatticeCache connect(Connection nc, LatticeCacheOptions options) {
    return NatsLatticeCache.connect(nc, options);
  }

  // ---- links (PROTOCOL.md §6) ----

  /**
   * Validates the link and writes {@code LINKDEF_{link.id()}}.
   *
   * @throws InvalidLinkDefinitionException if the link has a bad actor/provider key or contract
   * @throws LatticeStoreUnavailableException if the bucket cannot be written
   */
  void putLink(LinkDefinition link);

  /**
   * Purges every key that holds a link for this triple (older wash versions store links under
   * {@code LINKDEF_{uuid}}, so there may be more than one).
   *
   * @param linkName null or empty means {@code default}
   * @return the link that was in force, or empty if the view had none (then nothing is written)
   * @throws LatticeStoreUnavailableException if the bucket cannot be written
   */
  Optional<LinkDefinition> deleteLink(String actorId, String contractId, @Nullable String linkName);

  /** The link in force for the triple; {@code linkName} null or empty means {@code default}. */
  Optional<LinkDefinition> link(String actorId, String contractId, @Nullable String linkName);

  /** The link in force whose stored {@code id} is {@code id} (hash or old-style UUID). */
  Optional<LinkDefinition> linkById(String id);

  /** Every link of one actor. */
  List<LinkDefinition> linksForActor(String actorId);

  /** Every link served by one provider under one link name (null/empty = {@code default}). */
  List<LinkDefinition> linksForProvider(String providerId, @Nullable String linkName);

  /** Every link in force, one per (actor, contract, link name). */
  List<LinkDefinition> links();

  // ---- claims ----

  /**
   * Writes {@code CLAIMS_{claims.subject()}}.
   *
   * @throws LatticeStoreUnavailableException if the bucket cannot be written
   */
  void putClaims(ClaimsRecord claims);

  Optional<ClaimsRecord> claims(String publicKey);

  List<ClaimsRecord> allClaims();

  /**
   * The actor public key registered for a call alias. The first claims to carry an alias (longer
   * than one character) own it; later claims never replace it while the owner's claims exist.
   */
  Optional<String> resolveCallAlias(String alias);

  // ---- reference maps ----

  /**
   * Writes {@code REFMAP_{base64url_nopad(refMap.ociUrl())}}.
   *
   * @throws LatticeStoreUnavailableException if the bucket cannot be written
   */
  void putRefMap(RefMap refMap);

  /** The public key an image reference was resolved to. */
  Optional<String> resolveRef(String imageRef);

  /** Every image reference mapping in the view. */
  List<RefMap> refMaps();

  // ---- events and health ----

  /**
   * Registers a listener for changes from now on (it does not replay the current view: read {@link
   * #links()} etc. after registering if you need it).
   *
   * @return closing it removes the listener
   */
  AutoCloseable addListener(LatticeListener listener);

  /**
   * True when the connection is up, the view is in sync with the bucket (no resync in progress) and
   * the last JetStream request did not fail.
   */
  boolean isStoreReachable();

  /** {@code LATTICEDATA_{prefix}}. */
  String bucketName();

  /**
   * Forces a full resync (new watch, snapshot, reconcile), as done automatically after a reconnect.
   * Useful when the host learns of trouble the cache cannot see, e.g. a JetStream heartbeat alarm
   * reported to the host's {@code ErrorListener}.
   *
   * @return completes when a view taken after this call is in force
   */
  CompletableFuture<Void> resync();

  /** Stops the watch and the cache's threads; reads keep answering from the last view. */
  @Override
  void close();
}
