package io.trellis.apps.reconcile;

import io.trellis.apps.Ownership;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the lattice for one reconciliation pass: the live hosts (lost ones are
 * already gone) and the links.
 */
public record LatticeSnapshot(
    Instant now, List<HostState> hosts, Map<String, LinkDefinition> links) {

  public LatticeSnapshot {
    hosts = List.copyOf(hosts);
    links = Map.copyOf(links);
  }

  /** Key of a link in {@link #links()}: actor, contract and link name. */
  public static String linkKey(String actorId, String contractId, String linkName) {
    return actorId + "|" + contractId + "|" + linkName;
  }

  public Optional<LinkDefinition> link(String actorId, String contractId, String linkName) {
    return Optional.ofNullable(links.get(linkKey(actorId, contractId, linkName)));
  }

  /** Hosts whose inventory is known. */
  public List<HostState> placeable() {
    return hosts.stream().filter(HostState::placeable).toList();
  }

  /** The id of an actor some host runs from {@code image}. */
  public Optional<String> actorId(String image) {
    for (HostState h : hosts) {
      if (h.inventory() == null) {
        continue;
      }
      for (HostInventory.Actor a : h.inventory().actors()) {
        if (image.equals(a.imageRef())) {
          return Optional.of(a.id());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The id of an actor some host runs from {@code image}, or else of the actor whose instances
   * carry {@code owner}: a live update (ctl {@code update actor}) changes an instance's image but
   * keeps its annotations, so the scaler still knows which actor is its own after every host was
   * switched to another image.
   */
  public Optional<String> actorId(String image, Map<String, String> owner) {
    Optional<String> byImage = actorId(image);
    if (byImage.isPresent()) {
      return byImage;
    }
    for (HostState h : hosts) {
      if (h.inventory() == null) {
        continue;
      }
      for (HostInventory.Actor a : h.inventory().actors()) {
        for (HostInventory.Instance i : a.instances()) {
          if (i.annotations().entrySet().containsAll(owner.entrySet())) {
            return Optional.of(a.id());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The id of a provider some host runs from {@code image}. */
  public Optional<String> providerId(String image) {
    for (HostState h : hosts) {
      if (h.inventory() == null) {
        continue;
      }
      for (HostInventory.Provider p : h.inventory().providers()) {
        if (image.equals(p.imageRef())) {
          return Optional.of(p.id());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A group of actor instances on one host with identical annotations.
   *
   * @param imageRef where the host runs the actor from ("" when unknown)
   */
  public record InstanceGroup(
      String hostId, String actorId, String imageRef, Map<String, String> annotations, int count) {}

  /** A provider instance on one host. */
  public record ProviderInstance(String hostId, HostInventory.Provider provider) {}

  /** Every group of actor instances that belongs to {@code app}. */
  public List<InstanceGroup> ownedInstances(String app) {
    List<InstanceGroup> out = new ArrayList<>();
    for (HostState h : hosts) {
      if (h.inventory() == null) {
        continue;
      }
      for (HostInventory.Actor a : h.inventory().actors()) {
        Map<Map<String, String>, Integer> groups = new LinkedHashMap<>();
        for (HostInventory.Instance i : a.instances()) {
          if (Ownership.isOwnedBy(i.annotations(), app)) {
            groups.merge(i.annotations(), 1, Integer::sum);
          }
        }
        String ref = a.imageRef() == null ? "" : a.imageRef();
        groups.forEach((ann, n) -> out.add(new InstanceGroup(h.id(), a.id(), ref, ann, n)));
      }
    }
    return out;
  }

  /** Every provider instance that belongs to {@code app}. */
  public List<ProviderInstance> ownedProviders(String app) {
    List<ProviderInstance> out = new ArrayList<>();
    for (HostState h : hosts) {
      if (h.inventory() == null) {
        continue;
      }
      for (HostInventory.Provider p : h.inventory().providers()) {
        if (Ownership.isOwnedBy(p.annotations(), app)) {
          out.add(new ProviderInstance(h.id(), p));
        }
      }
    }
    return out;
  }

  /** Providers on {@code host} from {@code image} with {@code linkName}. */
  public List<HostInventory.Provider> providersOn(HostState host, String image, String linkName) {
    if (host.inventory() == null) {
      return List.of();
    }
    return host.inventory().providers().stream()
        .filter(p -> image.equals(p.imageRef()) && linkName.equals(p.linkName()))
        .toList();
  }
}
