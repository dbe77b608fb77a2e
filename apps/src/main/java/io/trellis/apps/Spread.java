package io.trellis.apps;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One spread of a scaler: the hosts whose labels include every requirement, and its share of the
 * replicas.
 *
 * @param weight relative share; wadm's default is {@value #DEFAULT_WEIGHT}
 */
public record Spread(String name, Map<String, String> requirements, int weight) {
  public static final int DEFAULT_WEIGHT = 100;
  public static final String DEFAULT_NAME = "default";

  public Spread {
    requirements = Map.copyOf(requirements);
  }

  /** What a scaler without spreads gets, as in wadm: one spread that every host matches. */
  public static Spread matchingEveryHost() {
    return new Spread(DEFAULT_NAME, Map.of(), DEFAULT_WEIGHT);
  }

  /** True when the labels include every requirement with the same value. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> r : requirements.entrySet()) {
      if (!r.getValue().equals(labels.get(r.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** The requirements as {@code k=v,k2=v2} (sorted), or "any host" when there are none. */
  public String describeRequirements() {
    if (requirements.isEmpty()) {
      return "any host";
    }
    return new TreeMap<>(requirements)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }
}
