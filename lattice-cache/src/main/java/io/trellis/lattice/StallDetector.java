package io.trellis.lattice;

/**
 * Decides from periodic comparisons of the stream's last sequence with the sequence the view has
 * seen whether the watch is healthy. Pure bookkeeping (no I/O), so the rules are unit-tested.
 *
 * <ul>
 *   <li>{@link Verdict#RECREATED}: the stream's last sequence is below what the view had already
 *       seen before the check: the bucket was deleted and created again.
 *   <li>{@link Verdict#STALLED}: at the previous check (same generation) the stream was at some
 *       sequence S ahead of the view, and the view still has not reached S: an interval passed
 *       without the watch delivering a message that existed.
 * </ul>
 *
 * <p>A stream whose last message was removed (stream purge, deleted message, purged delete markers)
 * looks stalled once; the resync it triggers sets the floor to the stream's sequence, so it never
 * repeats.
 */
final class StallDetector {
  enum Verdict {
    OK,
    RECREATED,
    STALLED
  }

  private long aheadSeq = -1;
  private long aheadGen = -1;

  /**
   * @param gen the live generation
   * @param seenBefore the view's sequence read before asking the stream
   * @param streamLast the stream's last sequence
   * @param seenAfter the view's sequence read after the answer
   */
  Verdict check(long gen, long seenBefore, long streamLast, long seenAfter) {
    if (streamLast < seenBefore) {
      reset();
      return Verdict.RECREATED;
    }
    if (streamLast > seenAfter && aheadGen == gen && aheadSeq > seenAfter) {
      reset();
      return Verdict.STALLED;
    }
    aheadSeq = streamLast > seenAfter ? streamLast : -1;
    aheadGen = gen;
    return Verdict.OK;
  }

  /** Forgets the previous observation (not live, disconnected, or a resync started). */
  void reset() {
    aheadSeq = -1;
    aheadGen = -1;
  }
}
