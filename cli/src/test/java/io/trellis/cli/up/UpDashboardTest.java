package io.trellis.cli.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.cli.CliRunner;
import io.trellis.wasmbus.LatticeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code trellis up} picks the dashboard's ports and refuses what it cannot do. */
class UpDashboardTest {
  @TempDir Path home;

  @Test
  void anExplicitPortMustBeFreeAndTheErrorNamesTheOption() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      LatticeException e =
          assertThrows(
              LatticeException.class,
              () -> UpDashboard.port("127.0.0.1", taken.getLocalPort(), 3030, "--dashboard-port"));
      assertTrue(
          e.getMessage().startsWith("--dashboard-port " + taken.getLocalPort()), e.getMessage());
    }
  }

  @Test
  void aTakenDefaultPortGivesWayToAFreeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int p = UpDashboard.port("127.0.0.1", null, taken.getLocalPort(), "--nats-ws-port");
      assertNotEquals(taken.getLocalPort(), p);
      assertTrue(p > 0);
    }
  }

  @Test
  void noDashboardPlansNothing() {
    DashboardOptions o = new DashboardOptions();
    o.disabled = true;
    assertNull(UpDashboard.plan(o, null, new TrellisHome(home)));
  }

  @Test
  void aBrowserSubjectInTheLatticesNamespaceStopsUpBeforeItStartsAnything() {
    System.setProperty("trellis.home", home.toString());
    try {
      CliRunner.Result r =
          CliRunner.run("up", "--nats-port", "1", "--browser-subject", "wasmbus.ctl.default.>");
      assertEquals(1, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.err().contains("browser subject 'wasmbus.ctl.default.>' is not allowed"), r.err());
    } finally {
      System.clearProperty("trellis.home");
    }
  }
}
