package io.trellis.apps.reconcile;

import io.trellis.apps.AppStatus;
import io.trellis.apps.Component;
import io.trellis.apps.Manifest;
import io.trellis.apps.StatusInfo;
import io.trellis.apps.StatusType;
import io.trellis.apps.Trait;
import io.trellis.apps.store.AppliedRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans one deployed application: every trait of every component, the status of each, and the
 * commands that move the lattice towards the manifest (PROTOCOL.md §15.4).
 */
final class AppPlanner {
  private AppPlanner() {}

  /**
   * @param status the application's status, per component and trait
   * @param links the links the manifest wants, as far as their ids are known
   */
  record Plan(AppStatus status, List<AppliedRecord.PutLink> links) {
    boolean deployed() {
      return status.info().type() == StatusType.DEPLOYED;
    }
  }

  static Plan plan(PlanContext ctx, Manifest m) {
    List<AppStatus.ComponentStatus> components = new ArrayList<>();
    List<StatusInfo> all = new ArrayList<>();
    List<AppliedRecord.PutLink> links = new ArrayList<>();
    for (Component c : m.components()) {
      List<AppStatus.TraitStatus> traits = new ArrayList<>();
      for (Trait t : c.traits()) {
        StatusInfo s =
            switch (t) {
              case Trait.Scaler scaler ->
                  switch (c) {
                    case Component.Actor a -> ActorScaler.plan(ctx, a, scaler);
                    case Component.Capability p -> ProviderScaler.plan(ctx, p, scaler);
                  };
              case Trait.LinkDef link -> LinkScaler.plan(ctx, m, (Component.Actor) c, link, links);
            };
        traits.add(new AppStatus.TraitStatus(t.type(), s));
      }
      StatusInfo ci =
          StatusInfo.aggregate(traits.stream().map(AppStatus.TraitStatus::info).toList(), "");
      components.add(new AppStatus.ComponentStatus(c.name(), c.type(), ci, traits));
      all.add(named(c.name(), ci));
    }
    StatusInfo info = StatusInfo.aggregate(all, "");
    return new Plan(new AppStatus(m.version(), info, components, null, null), links);
  }

  /** "{component}: {message}", so the application's message says which component it is about. */
  private static StatusInfo named(String component, StatusInfo s) {
    return s.message().isEmpty() ? s : new StatusInfo(s.type(), component + ": " + s.message());
  }
}
