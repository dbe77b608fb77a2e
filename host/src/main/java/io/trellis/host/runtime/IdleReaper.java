package io.trellis.host.runtime;

import io.trellis.host.metrics.RuntimeMetrics;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases wasm instances that stayed unused for the idle period, so an idle actor keeps only its
 * slots and the shared compiled code. One timer thread per runtime looks at every pool a few times
 * per idle period (at most once a second); a pool is released between the idle period and one check
 * after it.
 */
final class IdleReaper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IdleReaper.class);

  private final Set<InstancePool> pools = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor timer;
  private final long idleNanos;
  private final RuntimeMetrics metrics;

  IdleReaper(Duration idle, RuntimeMetrics metrics) {
    this.idleNanos = idle.toNanos();
    this.metrics = metrics;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "trellis-instance-reaper");
              t.setDaemon(true);
              return t;
            });
    long period = Math.clamp(idle.toMillis() / 4, 10, 1000);
    timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  void watch(InstancePool pool) {
    pools.add(pool);
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      int released = 0;
      for (InstancePool p : pools) {
        if (p.isClosed()) {
          pools.remove(p);
        } else {
          released += p.releaseIdle(now, idleNanos);
        }
      }
      if (released > 0) {
        metrics.instancesReleasedIdle(released);
      }
    } catch (RuntimeException e) {
      // a failed tick must not end the schedule (an exception would cancel it)
      LOG.warn("releasing idle instances failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
