package io.trellis.lattice;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Link definitions by bucket key, with the lookup indexes the host needs.
 *
 * <p>The identity of a link is its (actor, contract, link name) triple, not its id: old wash
 * versions store links under {@code LINKDEF_{uuid}}, so one triple can be held by several keys.
 * Each key contributes one candidate; the candidate with the highest revision is the
 * <i>effective</i> link of the triple, and only effective links are visible through the queries.
 * Removing a key removes only its own candidate, so the next one (if any) takes over.
 *
 * <p>Not thread-safe by itself: {@link LatticeView} serialises writers and guards readers.
 */
final class LinkIndex {
  /** The unique key of a link (PROTOCOL.md §6.1). */
  record Triple(String actorId, String contractId, String linkName) {
    static Triple of(LinkDefinition l) {
      return new Triple(l.actorId(), l.contractId(), l.linkName());
    }

    static Triple of(String actorId, String contractId, @Nullable String linkName) {
      return new Triple(
          actorId,
          contractId,
          linkName == null || linkName.isEmpty() ? LinkDefinition.DEFAULT_LINK_NAME : linkName);
    }
  }

  /** One key's candidate. */
  record Candidate(String key, long revision, LinkDefinition link) {}

  private record ProviderLink(String providerId, String linkName) {}

  private static final Comparator<Candidate> NEWEST_LAST =
      Comparator.comparingLong(Candidate::revision).thenComparing(Candidate::key);

  /** Primary store: bucket key → candidate. Unbounded: lattice data is never evicted. */
  private final Cache<String, Candidate> byKey = Caffeine.newBuilder().build();

  private final Map<Triple, Map<String, Candidate>> candidates = new HashMap<>();
  private final Map<Triple, Candidate> effective = new HashMap<>();
  private final Map<String, Candidate> byId = new HashMap<>();
  private final Map<String, Map<Triple, LinkDefinition>> byActor = new HashMap<>();
  private final Map<ProviderLink, Map<Triple, LinkDefinition>> byProvider = new HashMap<>();

  /** Stores the key's link; returns the events for the change of the affected triple(s). */
  List<LatticeEvent> put(String key, long revision, LinkDefinition link) {
    List<LatticeEvent> events = new ArrayList<>(2);
    Candidate old = byKey.getIfPresent(key);
    Triple triple = Triple.of(link);
    if (old != null && !Triple.of(old.link()).equals(triple)) {
      events.addAll(remove(key)); // the key now holds another triple
    }
    Candidate before = effective.get(triple);
    Candidate c = new Candidate(key, revision, link);
    byKey.put(key, c);
    candidates.computeIfAbsent(triple, t -> new LinkedHashMap<>()).put(key, c);
    Candidate after = winner(triple);
    reindex(triple, before, after);
    if (after == c) {
      events.add(new LatticeEvent.LinkPut(link, before == null ? null : before.link()));
    }
    return events;
  }

  /** Removes what {@code key} contributed; returns the events for its triple. */
  List<LatticeEvent> remove(String key) {
    Candidate old = byKey.getIfPresent(key);
    if (old == null) {
      return List.of();
    }
    byKey.invalidate(key);
    Triple triple = Triple.of(old.link());
    Map<String, Candidate> held = candidates.get(triple);
    held.remove(key);
    if (held.isEmpty()) {
      candidates.remove(triple);
    }
    Candidate before = effective.get(triple);
    Candidate after = winner(triple);
    if (before == after) {
      return List.of(); // a shadowed candidate went away
    }
    reindex(triple, before, after);
    if (after == null) {
      return List.of(new LatticeEvent.LinkDeleted(before.link()));
    }
    return after.link().equals(before.link())
        ? List.of()
        : List.of(new LatticeEvent.LinkPut(after.link(), before.link()));
  }

  private @Nullable Candidate winner(Triple t) {
    Map<String, Candidate> held = candidates.get(t);
    return held == null ? null : held.values().stream().max(NEWEST_LAST).orElse(null);
  }

  private void reindex(Triple t, @Nullable Candidate before, @Nullable Candidate after) {
    if (before == after) {
      return;
    }
    if (before != null) {
      LinkDefinition l = before.link();
      effective.remove(t);
      byId.remove(l.id(), before);
      removeFrom(byActor, l.actorId(), t);
      removeFrom(byProvider, new ProviderLink(l.providerId(), l.linkName()), t);
    }
    if (after != null) {
      LinkDefinition l = after.link();
      effective.put(t, after);
      byId.put(l.id(), after);
      byActor.computeIfAbsent(l.actorId(), k -> new LinkedHashMap<>()).put(t, l);
      byProvider
          .computeIfAbsent(
              new ProviderLink(l.providerId(), l.linkName()), k -> new LinkedHashMap<>())
          .put(t, l);
    }
  }

  private static <K> void removeFrom(Map<K, Map<Triple, LinkDefinition>> index, K k, Triple t) {
    Map<Triple, LinkDefinition> m = index.get(k);
    if (m != null) {
      m.remove(t);
      if (m.isEmpty()) {
        index.remove(k);
      }
    }
  }

  Optional<LinkDefinition> link(Triple t) {
    return Optional.ofNullable(effective.get(t)).map(Candidate::link);
  }

  Optional<LinkDefinition> linkById(String id) {
    return Optional.ofNullable(byId.get(id)).map(Candidate::link);
  }

  /**
   * Every key holding a candidate for the triple (more than one only with old wash data), oldest
   * revision first and the effective one last: deleting in this order never lets a shadowed
   * candidate surface as a spurious put.
   */
  List<String> keysFor(Triple t) {
    Map<String, Candidate> held = candidates.get(t);
    return held == null
        ? List.of()
        : held.values().stream().sorted(NEWEST_LAST).map(Candidate::key).toList();
  }

  List<LinkDefinition> forActor(String actorId) {
    Map<Triple, LinkDefinition> m = byActor.get(actorId);
    return m == null ? List.of() : List.copyOf(m.values());
  }

  List<LinkDefinition> forProvider(String providerId, @Nullable String linkName) {
    Map<Triple, LinkDefinition> m =
        byProvider.get(
            new ProviderLink(
                providerId,
                linkName == null || linkName.isEmpty()
                    ? LinkDefinition.DEFAULT_LINK_NAME
                    : linkName));
    return m == null ? List.of() : List.copyOf(m.values());
  }

  List<LinkDefinition> all() {
    return effective.values().stream().map(Candidate::link).toList();
  }
}
