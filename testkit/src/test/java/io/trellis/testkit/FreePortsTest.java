package io.trellis.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports handed out one call at a time, as each server of a topology asks for its own. */
class FreePortsTest {
  @Test
  void aPortIsNeverHandedOutTwiceInOneJvm() {
    // ~3,000 of the ~28,000 ephemeral ports: the kernel, left alone, offers some twice
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      int port = FreePorts.allocate();
      assertTrue(seen.add(port), "port " + port + " handed out twice (call " + i + ")");
    }
  }
}
