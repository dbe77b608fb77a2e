package io.trellis.apps.api;

import io.trellis.apps.AppStatus;
import io.trellis.apps.StatusInfo;
import io.trellis.apps.StatusType;
import io.trellis.apps.store.StoredApp;
import java.util.List;
import java.util.Optional;

/**
 * The status an API reply shows: the one the leading reconciler wrote when it is about the deployed
 * version, else what is known for sure (deployed but not yet acted on, undeployed but not yet
 * removed), and a note when no reconciler holds the lease, so a status never silently goes stale
 * (wadm#346; PROTOCOL.md §15.3).
 */
final class StatusView {
  private StatusView() {}

  static AppStatus of(
      StoredApp app, Optional<AppStatus> written, Optional<String> leader, String lattice) {
    String deployed = app.deployedVersion();
    String noLeader =
        "no reconciler holds the lease of lattice '"
            + lattice
            + "' (run a host with its reconciler on, or 'trellis apps serve')";
    if (deployed == null) {
      if (written.isEmpty()) {
        return new AppStatus(
            app.currentVersion(), StatusInfo.undeployed(""), List.of(), null, null);
      }
      AppStatus s = written.get();
      if (s.info().type() == StatusType.UNDEPLOYED) {
        return new AppStatus(
            app.currentVersion(), s.info(), s.components(), s.updatedAt(), s.reconciler());
      }
      return new AppStatus(
          app.currentVersion(),
          StatusInfo.undeployed(
              "undeploy acknowledged; the reconciler is removing what the application started"
                  + (leader.isEmpty() ? ", but " + noLeader : "")),
          List.of(),
          s.updatedAt(),
          s.reconciler());
    }
    if (written.isPresent() && written.get().version().equals(deployed)) {
      AppStatus s = written.get();
      if (leader.isPresent()) {
        return s;
      }
      String msg = s.info().message();
      return new AppStatus(
          s.version(),
          new StatusInfo(
              s.info().type(),
              (msg.isEmpty() ? "" : msg + "; ")
                  + "this may be out of date: "
                  + noLeader
                  + (s.updatedAt() == null ? "" : "; last updated " + s.updatedAt())),
          s.components(),
          s.updatedAt(),
          s.reconciler());
    }
    return new AppStatus(
        deployed,
        StatusInfo.reconciling(
            "version "
                + deployed
                + " was deployed; "
                + (leader.isEmpty() ? noLeader : "waiting for reconciler " + leader.get())),
        List.of(),
        null,
        null);
  }
}
