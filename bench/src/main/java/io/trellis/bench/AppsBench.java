package io.trellis.bench;

import io.nats.client.Connection;
import io.trellis.apps.AppStatus;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.ApiSubjects;
import io.trellis.apps.api.AppsClient;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.CtlException;
import io.trellis.wasmbus.ctl.HostInventory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** What the application benchmarks share: status polling, counting, percentiles. */
final class AppsBench {
  private AppsBench() {}

  static AppsClient client(Connection nc) {
    return new AppsClient(nc, new ApiSubjects("wadm.api", "default"), Duration.ofSeconds(10));
  }

  /** Polls every 20 ms until the app has {@code type} for {@code version}; returns when seen. */
  static AppStatus await(
      AppsClient apps, String app, String version, StatusType type, Duration within)
      throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    AppStatus last = null;
    while (System.nanoTime() < end) {
      try {
        last = apps.status(app);
        if (last.version().equals(version) && last.info().type() == type) {
          return last;
        }
      } catch (RuntimeException e) {
        // the API may be between leaders: keep polling
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        app + " " + version + " not " + type.wire() + " within " + within + ": " + last);
  }

  /** Instances per host whose annotations include {@code owned}; unreachable hosts: absent. */
  static int instances(CtlClient ctl, List<String> hostIds, Map<String, String> owned) {
    int n = 0;
    for (String id : hostIds) {
      try {
        for (HostInventory.Actor a : ctl.inventory(id).actors()) {
          for (HostInventory.Instance i : a.instances()) {
            if (i.annotations().entrySet().containsAll(owned.entrySet())) {
              n++;
            }
          }
        }
      } catch (CtlException e) {
        // a dead host has nothing
      }
    }
    return n;
  }

  static String summary(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format(
        "n %d, p50 %.2f s, max %.2f s, min %.2f s",
        s.length, s[s.length / 2] / 1e9, s[s.length - 1] / 1e9, s[0] / 1e9);
  }
}
