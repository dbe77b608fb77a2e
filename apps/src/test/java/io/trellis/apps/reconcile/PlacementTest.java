package io.trellis.apps.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
  @Test
  void newInstancesGoToTheLeastLoadedHostsOneByOne() {
    // wadm sent the whole count to the first eligible host; here 5 spread out evenly
    List<Placement.Slot> hosts =
        List.of(
            new Placement.Slot("h1", 0, 0),
            new Placement.Slot("h2", 0, 0),
            new Placement.Slot("h3", 0, 0));
    Map<String, Integer> to = Placement.add(hosts, 5);
    assertEquals(5, to.values().stream().mapToInt(Integer::intValue).sum());
    assertEquals(List.of(1, 2, 2), to.values().stream().sorted().toList());
  }

  @Test
  void theGroupsOwnCountComesFirstThenWhatTheHostRuns() {
    List<Placement.Slot> hosts =
        List.of(
            new Placement.Slot("busy", 1, 40),
            new Placement.Slot("idle", 1, 1),
            new Placement.Slot("empty", 3, 3));
    assertEquals(Map.of("idle", 2), Placement.add(hosts, 1), "equal group count: less load");
    assertEquals(Map.of("idle", 2, "busy", 2), Placement.add(hosts, 2));
  }

  @Test
  void removalsTakeFromTheMostLoaded() {
    List<Placement.Slot> hosts =
        List.of(
            new Placement.Slot("h1", 4, 4),
            new Placement.Slot("h2", 1, 1),
            new Placement.Slot("h3", 0, 9));
    assertEquals(Map.of("h1", 2), Placement.remove(hosts, 2));
    assertEquals(Map.of("h1", 0, "h2", 0), Placement.remove(hosts, 5), "never below zero");
  }

  @Test
  void providersGoToTheLeastLoadedHosts() {
    List<Placement.Slot> hosts =
        List.of(
            new Placement.Slot("a", 0, 5),
            new Placement.Slot("b", 0, 1),
            new Placement.Slot("c", 0, 3));
    assertEquals(
        List.of("b", "c"),
        Placement.leastLoaded(hosts, 2).stream().map(Placement.Slot::hostId).toList());
    assertEquals(
        List.of("a"), Placement.mostLoaded(hosts, 1).stream().map(Placement.Slot::hostId).toList());
  }
}
