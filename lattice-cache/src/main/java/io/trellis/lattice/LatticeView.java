package io.trellis.lattice;

import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local mirror of the bucket: what every key contributed ({@link #apply live changes}, {@link
 * #reconcile whole snapshots}) and the indexes built from it.
 *
 * <p>One writer (the cache's event thread) and any number of readers. A read-write lock keeps the
 * indexes mutually consistent for readers: a reader never sees a link in the actor index that is
 * already gone from the triple index.
 */
final class LatticeView {
  private static final Logger LOG = LoggerFactory.getLogger(LatticeView.class);

  /** What a key contributed, and at which revision. */
  private record Applied(long revision, LatticeValue value) {}

  private final String bucket;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Applied> applied = new HashMap<>();
  private final Map<String, Long> warnedInvalid = new HashMap<>();
  private final LinkIndex links = new LinkIndex();
  private final ClaimsIndex claims = new ClaimsIndex();
  private final RefMapIndex refs = new RefMapIndex();

  LatticeView(String bucket) {
    this.bucket = bucket;
  }

  /** Applies one change delivered by a live watch. */
  List<LatticeEvent> apply(KvRecord rec) {
    lock.writeLock().lock();
    try {
      if (rec.deleted()) {
        warnedInvalid.remove(rec.key());
        return removeKey(rec.key());
      }
      return putKey(rec, EntryDecoder.decode(rec.key(), rec.value()));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Makes the view equal to {@code snapshot} (the latest entry of every key, as a fresh watch
   * delivered them up to end-of-data) and returns an event for every difference: keys the view
   * holds that the bucket no longer has are removed first (phantoms), then new or changed keys are
   * applied in revision order so that, among keys holding the same link triple, the newest wins as
   * it would have live. Keys whose value and revision are unchanged produce no event.
   */
  List<LatticeEvent> reconcile(Map<String, KvRecord> snapshot) {
    lock.writeLock().lock();
    try {
      List<LatticeEvent> events = new ArrayList<>();
      for (String key : new ArrayList<>(applied.keySet())) {
        KvRecord rec = snapshot.get(key);
        if (rec == null || rec.deleted()) {
          events.addAll(removeKey(key));
        }
      }
      List<KvRecord> puts = new ArrayList<>(snapshot.size());
      for (KvRecord rec : snapshot.values()) {
        if (!rec.deleted()) {
          puts.add(rec);
        }
      }
      puts.sort(Comparator.comparingLong(KvRecord::revision));
      for (KvRecord rec : puts) {
        LatticeValue v = EntryDecoder.decode(rec.key(), rec.value());
        Applied old = applied.get(rec.key());
        if (old != null && old.revision() == rec.revision() && old.value().equals(v)) {
          continue;
        }
        events.addAll(putKey(rec, v));
      }
      return events;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private List<LatticeEvent> putKey(KvRecord rec, LatticeValue value) {
    String key = rec.key();
    if (!(value instanceof LatticeValue.Invalid)) {
      warnedInvalid.remove(key);
    }
    return switch (value) {
      case LatticeValue.Unknown u -> {
        LOG.debug("ignoring {} in bucket {}: not a lattice key", rec, bucket);
        yield List.of();
      }
      case LatticeValue.Invalid inv -> {
        warnInvalid(rec, inv.reason());
        yield removeKey(key); // the key no longer holds anything usable
      }
      case LatticeValue.Link l -> {
        applied.put(key, new Applied(rec.revision(), value));
        yield links.put(key, rec.revision(), l.link());
      }
      case LatticeValue.Claims c -> {
        applied.put(key, new Applied(rec.revision(), value));
        yield claims.put(c.claims());
      }
      case LatticeValue.Ref r -> {
        Applied old = applied.put(key, new Applied(rec.revision(), value));
        if (old != null
            && old.value() instanceof LatticeValue.Ref o
            && !o.refMap().ociUrl().equals(r.refMap().ociUrl())) {
          refs.remove(o.refMap().ociUrl());
        }
        yield refs.put(r.refMap());
      }
    };
  }

  private List<LatticeEvent> removeKey(String key) {
    Applied old = applied.remove(key);
    if (old == null) {
      return List.of();
    }
    return switch (old.value()) {
      case LatticeValue.Link l -> links.remove(key);
      case LatticeValue.Claims c -> claims.remove(c.claims().subject());
      case LatticeValue.Ref r -> {
        refs.remove(r.refMap().ociUrl());
        yield List.of();
      }
      case LatticeValue.Unknown u -> List.of();
      case LatticeValue.Invalid i -> List.of();
    };
  }

  /** Logs a bad value once per key and revision (resyncs see it again; the log need not). */
  private void warnInvalid(KvRecord rec, String reason) {
    Long warned = warnedInvalid.put(rec.key(), rec.revision());
    if (warned == null || warned != rec.revision()) {
      LOG.warn(
          "skipping invalid value of key {} (revision {}) in bucket {}: {}; value: {}",
          rec.key(),
          rec.revision(),
          bucket,
          reason,
          preview(rec.value()));
    } else {
      LOG.debug(
          "still skipping invalid value of key {} (revision {}) in bucket {}: {}",
          rec.key(),
          rec.revision(),
          bucket,
          reason);
    }
  }

  private static String preview(byte[] value) {
    String s = new String(value, StandardCharsets.UTF_8);
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  // ---- reads ----

  private <T> T read(Supplier<T> query) {
    lock.readLock().lock();
    try {
      return query.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The revision the view holds for a key (only keys with a usable value). */
  OptionalLong revision(String key) {
    return read(
        () -> {
          Applied a = applied.get(key);
          return a == null ? OptionalLong.empty() : OptionalLong.of(a.revision());
        });
  }

  Optional<LinkDefinition> link(String actorId, String contractId, @Nullable String linkName) {
    return read(() -> links.link(LinkIndex.Triple.of(actorId, contractId, linkName)));
  }

  List<String> keysForLink(String actorId, String contractId, @Nullable String linkName) {
    return read(() -> links.keysFor(LinkIndex.Triple.of(actorId, contractId, linkName)));
  }

  Optional<LinkDefinition> linkById(String id) {
    return read(() -> links.linkById(id));
  }

  List<LinkDefinition> linksForActor(String actorId) {
    return read(() -> links.forActor(actorId));
  }

  List<LinkDefinition> linksForProvider(String providerId, @Nullable String linkName) {
    return read(() -> links.forProvider(providerId, linkName));
  }

  List<LinkDefinition> links() {
    return read(links::all);
  }

  Optional<ClaimsRecord> claims(String publicKey) {
    return read(() -> claims.get(publicKey));
  }

  List<ClaimsRecord> allClaims() {
    return read(claims::all);
  }

  Optional<String> resolveCallAlias(String alias) {
    return read(() -> claims.resolveAlias(alias));
  }

  Optional<RefMap> refMap(String imageRef) {
    return read(() -> refs.get(imageRef));
  }

  Collection<RefMap> refMaps() {
    return read(refs::all);
  }
}
