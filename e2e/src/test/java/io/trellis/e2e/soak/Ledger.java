package io.trellis.e2e.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load saw, per fault window: the kind of fault running when a request started gets its
 * outcome. An unavailability window of a stream (from its last answer before a failure to its next
 * answer) belongs to the kind that was running when that stream first failed.
 */
final class Ledger {
  /** Totals of one fault kind. */
  static final class Kind {
    final LongAdder sent = new LongAdder();
    final LongAdder answered = new LongAdder();
    final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    final Map<String, LongAccumulator> longestGapMs = new ConcurrentHashMap<>();
    final LongAdder occurrences = new LongAdder();

    long failedTotal() {
      return failed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> failedByCause() {
      Map<String, Long> m = new TreeMap<>();
      failed.forEach((k, v) -> m.put(k, v.sum()));
      return m;
    }

    Map<String, Long> gaps() {
      Map<String, Long> m = new TreeMap<>();
      longestGapMs.forEach((k, v) -> m.put(k, v.get()));
      return m;
    }
  }

  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
  private volatile String current = "none";

  /** From now on, requests belong to {@code kind}. */
  void begin(String kind) {
    current = kind;
    kind(kind).occurrences.increment();
  }

  String current() {
    return current;
  }

  Kind kind(String kind) {
    return kinds.computeIfAbsent(kind, k -> new Kind());
  }

  Map<String, Kind> kinds() {
    return new TreeMap<>(kinds);
  }

  /** One client stream's view of availability. Used by one thread. */
  final class Stream {
    final String name;
    private long lastOk = System.nanoTime();
    private String outageKind = "";

    Stream(String name) {
      this.name = name;
    }

    void answered(String kindAtStart) {
      long now = System.nanoTime();
      kind(kindAtStart).sent.increment();
      kind(kindAtStart).answered.increment();
      if (!outageKind.isEmpty()) {
        gap(outageKind, (now - lastOk) / 1_000_000);
        outageKind = "";
      }
      lastOk = now;
    }

    void failed(String kindAtStart, String cause) {
      kind(kindAtStart).sent.increment();
      kind(kindAtStart)
          .failed
          .computeIfAbsent(name + ": " + cause, c -> new LongAdder())
          .increment();
      if (outageKind.isEmpty()) {
        outageKind = kindAtStart;
      }
    }

    /** At the end: a stream still failing has an open window up to now. */
    void close() {
      if (!outageKind.isEmpty()) {
        gap(outageKind, (System.nanoTime() - lastOk) / 1_000_000);
      }
    }

    private void gap(String kind, long ms) {
      kind(kind)
          .longestGapMs
          .computeIfAbsent(name, s -> new LongAccumulator(Math::max, 0))
          .accumulate(ms);
    }
  }
}
