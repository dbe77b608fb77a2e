package io.trellis.lattice;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Lets a writer wait until its own change has reached the local view (read-your-writes): the event
 * thread calls {@link #advance} after every change it applied, writers wait on a condition over the
 * view. A monitor rather than polling, so a write returns as soon as the watch delivers.
 */
final class AppliedProgress {
  private final Object monitor = new Object();
  private volatile long appliedSeq;
  private int waiters;

  /** The stream sequence up to which the view is known to be complete. */
  long appliedSeq() {
    return appliedSeq;
  }

  /**
   * Records the sequence the view now covers (it may go down when the bucket was recreated) and
   * wakes waiters.
   */
  void advance(long seq) {
    appliedSeq = seq;
    signal();
  }

  /** Wakes waiters after a change that does not move the sequence. */
  void signal() {
    synchronized (monitor) {
      if (waiters > 0) {
        monitor.notifyAll();
      }
    }
  }

  /**
   * Waits until {@code done} holds or the timeout passes.
   *
   * @return whether the condition held
   */
  boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      waiters++;
      try {
        while (!done.getAsBoolean()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          monitor.wait(Math.max(1, left / 1_000_000));
        }
        return true;
      } finally {
        waiters--;
      }
    }
  }
}
