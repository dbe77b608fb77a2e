package io.trellis.host;

import java.util.Map;
import java.util.TreeMap;

/**
 * The host's labels, which operators can change at run time (label put/del); the built-in {@code
 * hostcore.*} labels are fixed. Readers get snapshots.
 */
final class HostLabels {
  private final TreeMap<String, String> labels;

  HostLabels(Map<String, String> initial) {
    this.labels = new TreeMap<>(initial);
  }

  synchronized Map<String, String> snapshot() {
    return Map.copyOf(labels);
  }

  /**
   * @return false when the key is built in and cannot be changed
   */
  synchronized boolean put(String key, String value) {
    if (key.startsWith("hostcore.")) {
      return false;
    }
    labels.put(key, value);
    return true;
  }

  /**
   * @return false when the key is built in, or absent
   */
  synchronized boolean remove(String key) {
    if (key.startsWith("hostcore.")) {
      return false;
    }
    return labels.remove(key) != null;
  }
}
