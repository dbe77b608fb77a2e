package io.trellis.host.runtime;

import java.util.Map;
import java.util.UUID;

/** A logical instance: stable id and annotations, across wasm instance replacements. */
final class InstanceSlot {
  final String id;
  final Map<String, String> annotations;
  volatile boolean retired;
  // System.nanoTime() when its instance last became idle
  volatile long idleSince;

  InstanceSlot(Map<String, String> annotations) {
    this.id = UUID.randomUUID().toString();
    this.annotations = Map.copyOf(annotations);
  }

  public String id() {
    return id;
  }

  public Map<String, String> annotations() {
    return annotations;
  }

  boolean matches(Map<String, String> filter) {
    return filter.entrySet().stream()
        .allMatch(e -> e.getValue().equals(annotations.get(e.getKey())));
  }
}
