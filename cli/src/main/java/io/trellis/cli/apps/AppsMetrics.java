package io.trellis.cli.apps;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.trellis.apps.StatusType;
import io.trellis.apps.service.AppsService;

/**
 * The application reconciler's metrics on the host's registry (docs/OPERATIONS.md), read from
 * {@link AppsService#stats()} at scrape time: nothing is counted on the reconciler's path twice.
 * Only the leading reconciler plans, so the application counts are non-zero on one host at a time.
 */
public final class AppsMetrics {
  private AppsMetrics() {}

  public static void register(MeterRegistry registry, AppsService apps) {
    Gauge.builder("trellis.apps.leader", apps, a -> a.stats().leader() ? 1 : 0)
        .description("1 while this host's reconciler holds the lease and acts")
        .register(registry);
    for (StatusType t : StatusType.values()) {
      Gauge.builder("trellis.apps", apps, a -> a.stats().apps().get(t))
          .description("applications per status, as the leading reconciler last planned them")
          .tag("status", t.wire())
          .register(registry);
    }
    FunctionCounter.builder("trellis.apps.reconcile.passes", apps, a -> a.stats().passes())
        .description("reconciliation passes run")
        .register(registry);
    FunctionCounter.builder("trellis.apps.commands", apps, a -> a.stats().commandsAccepted())
        .description("ctl commands the reconciler sent, by the host's answer")
        .tag("outcome", "accepted")
        .register(registry);
    FunctionCounter.builder(
            "trellis.apps.commands",
            apps,
            a -> a.stats().commandsSent() - a.stats().commandsAccepted())
        .description("ctl commands the reconciler sent, by the host's answer")
        .tag("outcome", "not_accepted")
        .register(registry);
  }
}
