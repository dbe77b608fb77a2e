package io.trellis.cli.apps;

import io.nats.client.Connection;
import io.trellis.apps.leader.LeaseSettings;
import io.trellis.apps.reconcile.ReconcilerSettings;
import io.trellis.apps.service.AppsOptions;
import io.trellis.apps.service.AppsService;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.settings.BooleanSetting;
import java.io.PrintWriter;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The reconciler's settings for {@code trellis host}, {@code trellis up} and {@code trellis apps
 * serve} (docs/OPERATIONS.md): on by default in hosts, off with {@code --no-reconciler} or {@code
 * TRELLIS_RECONCILER=false}.
 */
public final class ReconcilerOptions {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerOptions.class);

  @Option(
      names = "--no-reconciler",
      description =
          "do not run the application reconciler and API in this process (TRELLIS_RECONCILER=false)")
  boolean off;

  @Option(
      names = "--host-lost-after-ms",
      paramLabel = "MS",
      defaultValue = "${env:TRELLIS_APPS_HOST_LOST_AFTER_MS:-7000}",
      description = "a host silent this long is declared lost (default ${DEFAULT-VALUE})")
  long hostLostAfterMs;

  @Option(
      names = "--reconcile-interval-ms",
      paramLabel = "MS",
      defaultValue = "${env:TRELLIS_APPS_RECONCILE_INTERVAL_MS:-5000}",
      description = "a reconciliation pass at least this often (default ${DEFAULT-VALUE})")
  long reconcileMs;

  @Option(
      names = "--lease-ttl-ms",
      paramLabel = "MS",
      defaultValue = "${env:TRELLIS_APPS_LEASE_TTL_MS:-5000}",
      description =
          "the leader lease: a new leader takes over this long after the old one died"
              + " (default ${DEFAULT-VALUE})")
  long leaseMs;

  /** Whether the reconciler runs in a host process (the flag, then TRELLIS_RECONCILER). */
  public boolean enabled() {
    if (off) {
      return false;
    }
    String env = System.getenv("TRELLIS_RECONCILER");
    return env == null || BooleanSetting.parse("TRELLIS_RECONCILER", env);
  }

  public AppsOptions options(
      String lattice, @Nullable String jsDomain, String ctlTopicPrefix, String id, int replicas) {
    if (hostLostAfterMs <= 0 || reconcileMs <= 0 || leaseMs < 1000) {
      throw new LatticeException(
          "reconciler settings must be positive and the lease at least 1000 ms, got"
              + " host-lost-after "
              + hostLostAfterMs
              + ", reconcile-interval "
              + reconcileMs
              + ", lease-ttl "
              + leaseMs);
    }
    Duration ttl = Duration.ofMillis(leaseMs);
    return AppsOptions.defaults(lattice, jsDomain, id)
        .withReplicas(replicas)
        .withCtlTopicPrefix(ctlTopicPrefix)
        .withReconciler(
            ReconcilerSettings.defaults()
                .withHostLostAfter(Duration.ofMillis(hostLostAfterMs))
                .withReconcileEvery(Duration.ofMillis(reconcileMs)))
        .withLease(
            new LeaseSettings(
                ttl, ttl.multipliedBy(3).dividedBy(10), ttl.dividedBy(5), ttl.dividedBy(5)));
  }

  /**
   * Starts the application service in a host process; a failure (no JetStream, say) is reported and
   * the host keeps running without it.
   */
  public @Nullable AppsService startIn(
      Connection nc,
      String lattice,
      @Nullable String jsDomain,
      String ctlTopicPrefix,
      String hostId,
      int replicas,
      PrintWriter out) {
    if (!enabled()) {
      return null;
    }
    try {
      AppsService s =
          AppsService.start(nc, options(lattice, jsDomain, ctlTopicPrefix, hostId, replicas));
      return s;
    } catch (LatticeException e) {
      LOG.warn("the application reconciler is not running: {}", e.getMessage());
      out.println("warning: the application reconciler is not running: " + e.getMessage());
      out.flush();
      return null;
    }
  }
}
