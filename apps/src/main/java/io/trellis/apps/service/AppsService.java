package io.trellis.apps.service;

import io.nats.client.Connection;
import io.trellis.apps.api.ApiSubjects;
import io.trellis.apps.api.ModelApi;
import io.trellis.apps.api.WadmApiServer;
import io.trellis.apps.leader.LeaderElection;
import io.trellis.apps.reconcile.Reconciler;
import io.trellis.apps.reconcile.ReconcilerStats;
import io.trellis.apps.store.AppStore;
import io.trellis.ctl.CtlClient;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declarative applications for one lattice, as one unit (docs/APPS.md): wadm's API (served by every
 * instance, queue group), the reconciler (acting only while this instance holds the lease) and the
 * election. Runs inside a host process (on by default) or alone ({@code trellis apps serve}); uses
 * the connection it is given and leaves it open on close.
 */
public final class AppsService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AppsService.class);

  private final AppsOptions options;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final LeaderElection election;
  private final Reconciler reconciler;

  private AppsService(
      AppsOptions options,
      LeaderElection election,
      Reconciler reconciler,
      List<AutoCloseable> parts) {
    this.options = options;
    this.election = election;
    this.reconciler = reconciler;
    this.parts.addAll(parts);
  }

  /**
   * Starts the API, the reconciler and the election on {@code nc}.
   *
   * @throws io.trellis.apps.store.AppStoreException when JetStream is not available
   */
  public static AppsService start(Connection nc, AppsOptions options) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      AppStore store =
          AppStore.open(
              nc, options.lattice(), options.jsDomain(), options.ctlTimeout(), options.replicas());
      CtlClient ctl =
          CtlClient.builder()
              .connection(nc)
              .latticePrefix(options.lattice())
              .ctlTopicPrefix(options.ctlTopicPrefix())
              .jsDomain(options.jsDomain())
              .timeout(options.ctlTimeout())
              .build();
      started.add(ctl);
      LeaderElection[] holder = new LeaderElection[1];
      Reconciler reconciler =
          new Reconciler(
              store,
              ctl,
              nc,
              options.lattice(),
              options.id(),
              options.reconciler(),
              () -> holder[0] != null && holder[0].isLeader());
      started.add(0, reconciler);
      LeaderElection election =
          LeaderElection.start(
              nc,
              options.lattice(),
              options.jsDomain(),
              options.id(),
              options.lease(),
              reconciler::leadership,
              options.replicas());
      holder[0] = election;
      started.add(0, election);
      WadmApiServer api =
          WadmApiServer.start(
              nc,
              new ApiSubjects(options.apiPrefix(), options.lattice()),
              new ModelApi(store, election::currentLeader, options.lattice()));
      started.add(0, api);
      LOG.info(
          "applications of lattice '{}': API on {}.{}.model.*, reconciler {} in the election",
          options.lattice(),
          options.apiPrefix(),
          options.lattice(),
          options.id());
      return new AppsService(options, election, reconciler, started);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /** True while this instance holds the lease and acts. */
  public boolean isLeader() {
    return election.isLeader();
  }

  public String id() {
    return options.id();
  }

  /** The reconciler's counts, for metrics. */
  public ReconcilerStats stats() {
    return reconciler.stats();
  }

  /** Asks the reconciler for a pass now (tests, and after a change it cannot see). */
  public void reconcileNow() {
    reconciler.trigger();
  }

  @Override
  public void close() {
    closeAll(parts);
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable c : parts) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing {} failed: {}", c, e.toString());
      }
    }
  }
}
