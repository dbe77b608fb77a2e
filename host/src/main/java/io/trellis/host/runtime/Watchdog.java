package io.trellis.host.runtime;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Interrupts calls that overrun their deadline. Chicory checks the interrupt flag in compiled and
 * interpreted code and throws, which ends a runaway guest without killing any thread.
 */
final class Watchdog implements AutoCloseable {
  private final ScheduledThreadPoolExecutor timer;

  public Watchdog() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "trellis-call-watchdog");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Arms a deadline for the current thread; close the guard when the call ends. */
  public Guard guard(Duration timeout) {
    Guard g = new Guard(Thread.currentThread());
    g.future = timer.schedule(g::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    return g;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** One armed deadline. */
  public static final class Guard implements AutoCloseable {
    private final Thread thread;
    private @Nullable ScheduledFuture<?> future;
    private boolean done;
    private boolean fired;

    private Guard(Thread thread) {
      this.thread = thread;
    }

    private synchronized void fire() {
      if (!done) {
        fired = true;
        thread.interrupt();
      }
    }

    public synchronized boolean fired() {
      return fired;
    }

    @Override
    public void close() {
      boolean wasFired;
      synchronized (this) {
        done = true;
        wasFired = fired;
      }
      future.cancel(false);
      if (wasFired) {
        // The interrupt may still be pending on this thread; it must not leak into the next task.
        Thread.interrupted();
      }
    }
  }
}
