package io.trellis.apps.reconcile;

import io.trellis.wasmbus.ctl.HostInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the reconciler knows of one host: its labels, when it last showed a sign of life, the
 * interval of its liveness signal (null for hosts that send none) and its last inventory (null
 * until the first one arrives; such a host is not placed on, since its labels are not known).
 */
public record HostState(
    String id,
    String friendlyName,
    Map<String, String> labels,
    Instant lastSeen,
    @Nullable Duration livenessEvery,
    @Nullable HostInventory inventory) {

  public HostState {
    labels = Map.copyOf(labels);
  }

  static HostState unknown(String id, Instant seen) {
    return new HostState(id, "", Map.of(), seen, null, null);
  }

  HostState seen(Instant at) {
    return at.isAfter(lastSeen)
        ? new HostState(id, friendlyName, labels, at, livenessEvery, inventory)
        : this;
  }

  HostState withLiveness(Duration every, Instant at) {
    return new HostState(
        id, friendlyName, labels, at.isAfter(lastSeen) ? at : lastSeen, every, inventory);
  }

  HostState withLabels(Map<String, String> newLabels, String name) {
    return new HostState(
        id, name.isEmpty() ? friendlyName : name, newLabels, lastSeen, livenessEvery, inventory);
  }

  HostState withInventory(HostInventory inv, Instant at) {
    return new HostState(
        id,
        inv.friendlyName().isEmpty() ? friendlyName : inv.friendlyName(),
        inv.labels(),
        at.isAfter(lastSeen) ? at : lastSeen,
        livenessEvery,
        inv);
  }

  /** Known well enough to place on: its inventory (and so its labels) arrived. */
  public boolean placeable() {
    return inventory != null;
  }

  /** A short name for messages: the friendly name and the start of the id. */
  public String describe() {
    String shortId = id.length() > 8 ? id.substring(0, 8) + "…" : id;
    return friendlyName.isEmpty() ? shortId : friendlyName + " (" + shortId + ")";
  }

  /** Everything the host runs: actor instances plus providers. */
  public int load() {
    if (inventory == null) {
      return 0;
    }
    int n = inventory.providers().size();
    for (HostInventory.Actor a : inventory.actors()) {
      n += a.instances().size();
    }
    return n;
  }

  /** Actor instances whose annotations include every entry of {@code annotations}. */
  public int instancesWith(Map<String, String> annotations) {
    if (inventory == null) {
      return 0;
    }
    int n = 0;
    for (HostInventory.Actor a : inventory.actors()) {
      for (HostInventory.Instance i : a.instances()) {
        if (i.annotations().entrySet().containsAll(annotations.entrySet())) {
          n++;
        }
      }
    }
    return n;
  }
}
