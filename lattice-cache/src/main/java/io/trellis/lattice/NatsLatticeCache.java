package io.trellis.lattice;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LatticeCache} over a JetStream KV bucket: reads from the {@link LatticeView}, writes
 * through the {@link StoreWriter} and then waits until the watch ({@link WatchSupervisor}) has
 * brought the write into the view.
 */
final class NatsLatticeCache implements LatticeCache {
  private static final Logger LOG = LoggerFactory.getLogger(NatsLatticeCache.class);

  private final LatticeCacheOptions options;
  private final String where;
  private final LatticeView view;
  private final EventDispatcher dispatcher;
  private final AppliedProgress progress;
  private final StoreHealth health;
  private final Connection nc;
  private final StoreWriter writer;
  private final WatchSupervisor supervisor;
  private volatile boolean closed;

  private NatsLatticeCache(
      Connection nc,
      LatticeCacheOptions options,
      String where,
      BucketBinder.Bound bound,
      StoreHealth health) {
    this.nc = nc;
    this.options = options;
    this.where = where;
    this.health = health;
    this.view = new LatticeView(options.bucketName());
    this.dispatcher = new EventDispatcher(options.bucketName());
    this.progress = new AppliedProgress();
    this.writer = new StoreWriter(nc, bound.kv(), where, health);
    this.supervisor =
        new WatchSupervisor(nc, bound, options, where, view, dispatcher, progress, health);
  }

  /** See {@link LatticeCache#connect}. */
  public static LatticeCache connect(Connection nc, LatticeCacheOptions options) {
    Objects.requireNonNull(nc, "nc");
    Objects.requireNonNull(options, "options");
    String where = "bucket " + options.bucketName() + BucketBinder.domainNote(options);
    StoreHealth health = new StoreHealth();
    BucketBinder.Bound bound;
    try {
      StoreWriter.requireConnected(nc, "bind", where, health);
      bound = BucketBinder.bind(nc, options);
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw new LatticeStoreUnavailableException(
          "cannot bind or create " + where + ": " + StoreWriter.describe(e), e);
    }
    NatsLatticeCache cache = new NatsLatticeCache(nc, options, where, bound, health);
    cache.load();
    return cache;
  }

  /** Starts the watch and blocks until the first full view is in place. */
  private void load() {
    CompletableFuture<Void> loaded = supervisor.start();
    try {
      loaded.get(options.loadTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      supervisor.close();
      throw new LatticeStoreUnavailableException(
          "loading "
              + where
              + " did not finish within "
              + options.loadTimeout().toMillis()
              + " ms"
              + lastFailureNote(),
          e);
    } catch (ExecutionException e) {
      supervisor.close();
      throw new LatticeStoreUnavailableException(
          "loading " + where + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      supervisor.close();
      Thread.currentThread().interrupt();
      throw new LatticeException("interrupted while loading " + where, e);
    }
  }

  private String lastFailureNote() {
    String f = health.lastFailure();
    return f == null ? "" : " (last failure: " + f + ")";
  }

  // ---- writes ----

  @Override
  public void putLink(LinkDefinition link) {
    Objects.requireNonNull(link, "link").validate();
    write(LatticeKeys.linkdef(link.id()), link.toJson());
  }

  @Override
  public Optional<LinkDefinition> deleteLink(
      String actorId, String contractId, @Nullable String linkName) {
    ensureOpen();
    Optional<LinkDefinition> before = view.link(actorId, contractId, linkName);
    List<String> keys = view.keysForLink(actorId, contractId, linkName);
    writer.checkConnected("delete link " + actorId + "/" + contractId + "/" + linkName);
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    // shadowed keys first, the effective one last (see LinkIndex.keysFor); a failure part-way
    // throws, naming the key it could not purge
    List<OptionalLong> revisions = new ArrayList<>(keys.size());
    for (String key : keys) {
      revisions.add(view.revision(key));
      writer.purge(key);
    }
    awaitVisible(
        "purge of " + keys,
        () -> {
          for (int i = 0; i < keys.size(); i++) {
            if (view.revision(keys.get(i)).equals(revisions.get(i))) {
              return false; // this key's purge marker has not been applied yet
            }
          }
          return true;
        });
    return before;
  }

  @Override
  public void putClaims(ClaimsRecord claims) {
    Objects.requireNonNull(claims, "claims");
    if (claims.subject() == null || claims.subject().isEmpty()) {
      throw new IllegalArgumentException("claims record has no subject (sub): " + claims);
    }
    write(LatticeKeys.claims(claims.subject()), claims.toJson());
  }

  @Override
  public void putRefMap(RefMap refMap) {
    Objects.requireNonNull(refMap, "refMap");
    if (refMap.ociUrl() == null
        || refMap.ociUrl().isEmpty()
        || refMap.publicKey() == null
        || refMap.publicKey().isEmpty()) {
      throw new IllegalArgumentException(
          "refmap needs an image reference and a public key: " + refMap);
    }
    write(LatticeKeys.refmap(refMap.ociUrl()), refMap.toJson());
  }

  private void write(String key, byte[] value) {
    ensureOpen();
    long revision = writer.put(key, value);
    awaitVisible(
        "write of " + key + " (revision " + revision + ")",
        () -> progress.appliedSeq() >= revision);
  }

  /**
   * Read-your-writes: waits until the watch has applied the change. The write itself already
   * succeeded, so a timeout here is not an error for the caller; it means the watch is behind, and
   * a resync is requested.
   */
  private void awaitVisible(String what, BooleanSupplier visible) {
    try {
      if (!progress.await(visible, options.requestTimeout())) {
        LOG.warn(
            "{} to {} is stored but did not reach the local view within {} ms; resyncing",
            what,
            where,
            options.requestTimeout().toMillis());
        supervisor.requestResync("write not seen by the watch");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new LatticeStoreUnavailableException("lattice cache for " + where + " is closed");
    }
  }

  // ---- reads ----

  @Override
  public Optional<LinkDefinition> link(
      String actorId, String contractId, @Nullable String linkName) {
    return view.link(actorId, contractId, linkName);
  }

  @Override
  public Optional<LinkDefinition> linkById(String id) {
    return view.linkById(id);
  }

  @Override
  public List<LinkDefinition> linksForActor(String actorId) {
    return view.linksForActor(actorId);
  }

  @Override
  public List<LinkDefinition> linksForProvider(String providerId, @Nullable String linkName) {
    return view.linksForProvider(providerId, linkName);
  }

  @Override
  public List<LinkDefinition> links() {
    return view.links();
  }

  @Override
  public Optional<ClaimsRecord> claims(String publicKey) {
    return view.claims(publicKey);
  }

  @Override
  public List<ClaimsRecord> allClaims() {
    return view.allClaims();
  }

  @Override
  public Optional<String> resolveCallAlias(String alias) {
    return view.resolveCallAlias(alias);
  }

  @Override
  public Optional<String> resolveRef(String imageRef) {
    return view.refMap(imageRef).map(RefMap::publicKey);
  }

  @Override
  public List<RefMap> refMaps() {
    return List.copyOf(view.refMaps());
  }

  // ---- events, health, lifecycle ----

  @Override
  public AutoCloseable addListener(LatticeListener listener) {
    return dispatcher.add(listener);
  }

  @Override
  public boolean isStoreReachable() {
    return !closed
        && nc.getStatus() == Connection.Status.CONNECTED
        && supervisor.isLive()
        && health.isOk();
  }

  @Override
  public String bucketName() {
    return options.bucketName();
  }

  @Override
  public CompletableFuture<Void> resync() {
    return supervisor.requestResync("requested");
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    supervisor.close();
  }

  @Override
  public String toString() {
    return "LatticeCache[" + where + (closed ? ", closed" : "") + "]";
  }
}
