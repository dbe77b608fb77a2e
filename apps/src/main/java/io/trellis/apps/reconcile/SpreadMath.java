package io.trellis.apps.reconcile;

import io.trellis.apps.Spread;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Divides a scaler's replicas between its spreads by weight (PROTOCOL.md §15.4): each spread gets
 * the whole part of {@code replicas * weight / total}, and the replicas left over go to the spreads
 * with the largest remainders (the largest-remainder method). Ties go to the larger weight, then to
 * an order derived from a hash of the spread's name and {@code salt}, never to the order in which
 * the spreads were written: that was wadm's bias (wadm#154).
 */
public final class SpreadMath {
  private SpreadMath() {}

  /**
   * @param salt mixed into the tie-break hash (the app and component name), so that ties of
   *     different components do not all fall on the same spread
   * @return replicas per spread name, in the order of {@code spreads}
   */
  public static Map<String, Integer> allocate(int replicas, List<Spread> spreads, String salt) {
    Map<String, Integer> out = new LinkedHashMap<>();
    long total = 0;
    for (Spread s : spreads) {
      total += s.weight();
    }
    if (total == 0) {
      spreads.forEach(s -> out.put(s.name(), 0));
      return out;
    }
    record Share(Spread spread, long remainder, int tiebreak) {}
    List<Share> shares = new ArrayList<>();
    int given = 0;
    for (Spread s : spreads) {
      long exact = (long) replicas * s.weight();
      int whole = (int) (exact / total);
      out.put(s.name(), whole);
      given += whole;
      shares.add(new Share(s, exact % total, mix(salt + "/" + s.name())));
    }
    shares.sort(
        Comparator.comparingLong((Share x) -> -x.remainder())
            .thenComparingInt(x -> -x.spread().weight())
            .thenComparingInt(Share::tiebreak));
    for (int i = 0; i < replicas - given; i++) {
      Share s = shares.get(i % shares.size());
      out.merge(s.spread().name(), 1, Integer::sum);
    }
    return out;
  }

  /** A well-mixed, stable hash (String.hashCode clusters similar names). */
  static int mix(String s) {
    int h = s.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
