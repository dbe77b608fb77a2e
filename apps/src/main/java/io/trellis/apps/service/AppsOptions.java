package io.trellis.apps.service;

import io.trellis.apps.api.ApiSubjects;
import io.trellis.apps.leader.LeaseSettings;
import io.trellis.apps.reconcile.ReconcilerSettings;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to run the application service of one lattice.
 *
 * @param lattice the lattice prefix
 * @param jsDomain the JetStream domain of the lattice data (the application buckets live there
 *     too), or null
 * @param ctlTopicPrefix the control interface's topic prefix
 * @param apiPrefix the API's subject prefix ({@value ApiSubjects#DEFAULT_PREFIX})
 * @param id this reconciler's id in the election and in statuses (a host id, or a generated one)
 * @param ctlTimeout timeout of control-interface requests and commands
 * @param reconciler the reconciler's timings
 * @param lease the leader lease's timings
 * @param replicas replicas of the application and lease buckets when this service creates them (the
 *     hosts' {@code TRELLIS_LATTICE_REPLICAS}); an existing bucket is used as it is
 */
public record AppsOptions(
    String lattice,
    @Nullable String jsDomain,
    String ctlTopicPrefix,
    String apiPrefix,
    String id,
    Duration ctlTimeout,
    ReconcilerSettings reconciler,
    LeaseSettings lease,
    int replicas) {

  public AppsOptions {
    if (replicas < 1) {
      throw new IllegalArgumentException("bucket replicas must be at least 1, got " + replicas);
    }
  }

  public static AppsOptions defaults(String lattice, @Nullable String jsDomain, String id) {
    return new AppsOptions(
        lattice,
        jsDomain,
        Subjects.DEFAULT_CTL_PREFIX,
        ApiSubjects.DEFAULT_PREFIX,
        id,
        Duration.ofSeconds(5),
        ReconcilerSettings.defaults(),
        LeaseSettings.defaults(),
        1);
  }

  public AppsOptions withReconciler(ReconcilerSettings r) {
    return new AppsOptions(
        lattice, jsDomain, ctlTopicPrefix, apiPrefix, id, ctlTimeout, r, lease, replicas);
  }

  public AppsOptions withLease(LeaseSettings l) {
    return new AppsOptions(
        lattice, jsDomain, ctlTopicPrefix, apiPrefix, id, ctlTimeout, reconciler, l, replicas);
  }

  public AppsOptions withCtlTopicPrefix(String prefix) {
    return new AppsOptions(
        lattice, jsDomain, prefix, apiPrefix, id, ctlTimeout, reconciler, lease, replicas);
  }

  public AppsOptions withReplicas(int n) {
    return new AppsOptions(
        lattice, jsDomain, ctlTopicPrefix, apiPrefix, id, ctlTimeout, reconciler, lease, n);
  }
}
