package io.trellis.e2e.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The soak's end: the numbers per fault kind, and the must-be-0 checks that set the exit status.
 */
final class Report {
  private final Ledger ledger;
  final Map<String, Long> heapStart = new LinkedHashMap<>();
  final Map<String, Long> heapEnd = new LinkedHashMap<>();
  final Map<String, Integer> generations = new LinkedHashMap<>();
  final List<String> faultLog = new ArrayList<>();
  final Map<Long, ProcessHandle> seen = new LinkedHashMap<>();
  long finalCount = -1;
  long acked;
  long duplicateAcks;
  final List<String> duplicates = new ArrayList<>();
  long maxAckedValue;
  List<String> leftBehind = List.of();

  Report(Ledger ledger) {
    this.ledger = ledger;
  }

  /** Prints the report; returns the exit status (1 when a must-be-0 value is not 0). */
  int print(long seed, double minutes) {
    StringBuilder b = new StringBuilder();
    b.append("\n=== soak report: seed ")
        .append(seed)
        .append(", ")
        .append(minutes)
        .append(" minutes ===\n");
    b.append("faults:\n");
    faultLog.forEach(l -> b.append("  ").append(l).append('\n'));
    b.append(
        String.format(
            "%-14s %5s %7s %9s %7s  %s%n",
            "window",
            "times",
            "sent",
            "answered",
            "failed",
            "longest unavailability per stream (ms)"));
    ledger
        .kinds()
        .forEach(
            (kind, k) ->
                b.append(
                    String.format(
                        "%-14s %5d %7d %9d %7d  %s%n",
                        kind,
                        k.occurrences.sum(),
                        k.sent.sum(),
                        k.answered.sum(),
                        k.failedTotal(),
                        k.gaps().isEmpty() ? "-" : k.gaps())));
    b.append("failures by cause:\n");
    ledger
        .kinds()
        .forEach(
            (kind, k) ->
                k.failedByCause()
                    .forEach((c, n) -> b.append(String.format("  %-14s %6d  %s%n", kind, n, c))));
    long missing =
        finalCount < 0 ? acked : Math.max(0, Math.max(acked, maxAckedValue) - finalCount);
    b.append(
        String.format(
            "counter: %d increments acknowledged (highest value %d), final value %d%n",
            acked, maxAckedValue, finalCount));
    b.append("acknowledged increments missing from the final value: ")
        .append(missing)
        .append(" (must be 0)\n");
    b.append("the same value acknowledged twice (an increment lost): ")
        .append(duplicateAcks)
        .append(" (must be 0)\n");
    duplicates.stream().limit(20).forEach(d -> b.append("  ").append(d).append('\n'));
    b.append("processes left behind: ").append(leftBehind.size()).append(" (must be 0)");
    leftBehind.forEach(p -> b.append("\n  ").append(p));
    b.append('\n');
    b.append("heap after GC (KiB), start -> end:\n");
    heapStart.forEach(
        (h, kib) ->
            b.append(
                String.format(
                    "  %s: %d -> %d%s%n",
                    h,
                    kib,
                    heapEnd.getOrDefault(h, -1L),
                    generations.getOrDefault(h, 1) > 1
                        ? " (end: restarted process, generation " + generations.get(h) + ")"
                        : "")));
    boolean ok = missing == 0 && duplicateAcks == 0 && leftBehind.isEmpty() && finalCount >= 0;
    b.append(ok ? "soak: PASSED" : "soak: FAILED (a must-be-0 value is not 0)");
    System.out.println(b);
    return ok ? 0 : 1;
  }

  /**
   * The processes that still run after everything was stopped: this JVM's descendants (hosts,
   * nats-servers, anything they started) and every provider process seen under a host (a provider
   * orphaned by a killed host is no longer our descendant). Waits up to {@code grace} for them.
   */
  static List<String> leftBehind(Map<Long, ProcessHandle> seen, Duration grace)
      throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    List<ProcessHandle> alive;
    do {
      alive =
          new ArrayList<>(
              ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList());
      for (ProcessHandle p : seen.values()) {
        if (p.isAlive() && alive.stream().noneMatch(a -> a.pid() == p.pid())) {
          alive.add(p);
        }
      }
      if (alive.isEmpty()) {
        return List.of();
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return alive.stream()
        .map(p -> "pid " + p.pid() + " " + p.info().commandLine().orElse("?"))
        .map(s -> s.length() > 160 ? s.substring(0, 160) + "..." : s)
        .toList();
  }

  /** Cleans up after a failed check, so that the next run starts on a clean machine. */
  static void killLeftovers() {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
  }
}
