package io.trellis.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.lattice.StallDetector.Verdict;
import org.junit.jupiter.api.Test;

class StallDetectorTest {
  final StallDetector d = new StallDetector();

  @Test
  void aWatchThatKeepsUpIsNeverStalled() {
    assertEquals(Verdict.OK, d.check(1, 10, 12, 10)); // stream ahead: remember 12
    assertEquals(Verdict.OK, d.check(1, 12, 15, 13)); // view passed 12: fine
    assertEquals(Verdict.OK, d.check(1, 15, 15, 15));
  }

  @Test
  void aViewThatDoesNotReachWhatTheStreamHadOneCheckAgoIsStalled() {
    assertEquals(Verdict.OK, d.check(1, 10, 12, 10));
    assertEquals(Verdict.STALLED, d.check(1, 10, 12, 11));
    assertEquals(Verdict.OK, d.check(1, 10, 12, 10), "a verdict starts the observation over");
  }

  @Test
  void aNewGenerationOrAResetStartsOver() {
    assertEquals(Verdict.OK, d.check(1, 10, 12, 10));
    assertEquals(Verdict.OK, d.check(2, 10, 12, 10));
    d.reset();
    assertEquals(Verdict.OK, d.check(2, 10, 12, 10));
    assertEquals(Verdict.STALLED, d.check(2, 10, 12, 10));
  }

  @Test
  void aStreamBehindTheViewWasRecreated() {
    assertEquals(Verdict.RECREATED, d.check(1, 10, 3, 10));
    // a view that advanced past the stream answer while it was in flight is not a recreation
    assertEquals(Verdict.OK, d.check(1, 10, 12, 14));
  }
}
