package io.trellis.host.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Interrupts calls that overrun their deadline. Chicory checks the interrupt flag in compiled and
 * interpreted code and throws, which ends a runaway guest without killing any thread.
 *
 * <p>Arming a deadline only adds it to a set: one timer task looks at the set every {@link
 * #TICK_MILLIS} ms while anything is armed and stops when nothing is. Scheduling a timer task per
 * call instead cost a wake-up of the timer thread for most calls (measured: about 5 % of a host's
 * CPU under the RPC benchmark). A call is therefore interrupted between its deadline and one tick
 * after it.
 */
final class Watchdog implements AutoCloseable {
  /** How often armed deadlines are checked while any is armed. */
  static final long TICK_MILLIS = 20;

  private final ScheduledThreadPoolExecutor timer;
  private final Set<Guard> armed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean ticking = new AtomicBoolean();

  public Watchdog() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "trellis-call-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /** Arms a deadline for the current thread; close the guard when the call ends. */
  public Guard guard(Duration timeout) {
    Guard g = new Guard(this, Thread.currentThread(), System.nanoTime() + timeout.toNanos());
    armed.add(g);
    if (!ticking.get() && ticking.compareAndSet(false, true)) {
      schedule();
    }
    return g;
  }

  private void schedule() {
    try {
      timer.schedule(this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // closed: nothing is watched any more
    }
  }

  private void tick() {
    long now = System.nanoTime();
    for (Guard g : armed) {
      if (now - g.deadline >= 0) {
        armed.remove(g);
        g.fire();
      }
    }
    if (armed.isEmpty()) {
      ticking.set(false);
      // a guard armed after the check above may have seen ticking still set and scheduled nothing
      if (armed.isEmpty() || !ticking.compareAndSet(false, true)) {
        return;
      }
    }
    schedule();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** One armed deadline. */
  public static final class Guard implements AutoCloseable {
    private final Watchdog owner;
    private final Thread thread;
    private final long deadline;
    private boolean done;
    private boolean fired;

    private Guard(Watchdog owner, Thread thread, long deadline) {
      this.owner = owner;
      this.thread = thread;
      this.deadline = deadline;
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
      owner.armed.remove(this);
      if (wasFired) {
        // The interrupt may still be pending on this thread; it must not leak into the next task.
        Thread.interrupted();
      }
    }
  }
}
