package io.trellis.apps.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.apps.Spread;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpreadMathTest {
  static Spread s(String name, int weight) {
    return new Spread(name, Map.of(), weight);
  }

  @Test
  void wholePartsThenLargestRemainders() {
    // 3 at 66:34 -> exact 1.98 / 1.02: east gets the leftover by its larger remainder
    assertEquals(
        Map.of("east", 2, "west", 1),
        SpreadMath.allocate(3, List.of(s("east", 66), s("west", 34)), "app/c"));
    // 10 at 1:1:1 -> 3 each, the leftover to one of them
    Map<String, Integer> even =
        SpreadMath.allocate(10, List.of(s("a", 1), s("b", 1), s("c", 1)), "app/c");
    assertEquals(10, even.values().stream().mapToInt(Integer::intValue).sum());
    assertEquals(List.of(3, 3, 4), even.values().stream().sorted().toList());
    assertEquals(
        Map.of("a", 0, "b", 0), SpreadMath.allocate(0, List.of(s("a", 1), s("b", 9)), "x"));
    assertEquals(Map.of("only", 7), SpreadMath.allocate(7, List.of(s("only", 100)), "x"));
    // weight 0 gets nothing
    assertEquals(
        Map.of("on", 5, "off", 0), SpreadMath.allocate(5, List.of(s("on", 1), s("off", 0)), "x"));
  }

  @Test
  void theOrderTheSpreadsAreWrittenInDoesNotDecide() {
    // wadm gave leftovers in YAML order (wadm#154): here every order gives the same answer
    List<Spread> spreads = new ArrayList<>(List.of(s("a", 1), s("b", 1), s("c", 1), s("d", 2)));
    Map<String, Integer> first = SpreadMath.allocate(7, spreads, "app/comp");
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(spreads);
      assertEquals(first, Map.copyOf(SpreadMath.allocate(7, spreads, "app/comp")));
    }
    // larger weight wins a tie of remainders
    assertEquals(
        Map.of("big", 1, "small", 0),
        SpreadMath.allocate(1, List.of(s("small", 1), s("big", 1_000_000)), "x"));
  }

  @Test
  void tiesFallDifferentlyForDifferentComponents() {
    // with equal weights and one leftover, which spread gets it depends on a hash of the
    // component and spread names, so many components do not all favour the same spread
    List<Spread> two = List.of(s("a", 1), s("b", 1));
    long aFirst =
        IntStream.range(0, 200)
            .filter(i -> SpreadMath.allocate(1, two, "app/c" + i).get("a") == 1)
            .count();
    assertEquals(true, aFirst > 60 && aFirst < 140, "a won " + aFirst + " of 200");
  }
}
