package io.trellis.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.LatticeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may do what over the websocket (PROTOCOL.md §17), as data and as nats-server config. */
class DashboardAccessTest {
  final DashboardAccess access =
      DashboardAccess.generate("lat1", "wasmbus.ctl", List.of("browser.>"));

  @Test
  void theReaderMayQueryButNotCommand() {
    List<String> pub = access.reader().permissions().publish();
    assertTrue(pub.contains("wasmbus.ctl.lat1.ping.hosts"));
    assertTrue(pub.contains("wasmbus.ctl.lat1.get.*.inv"));
    assertTrue(pub.contains("wadm.api.lat1.model.status.*"));
    assertTrue(pub.contains("wasmbus.rpc.lat1.*.*.health"));
    assertFalse(
        pub.stream().anyMatch(s -> s.contains(".cmd.") || s.contains("linkdefs")), pub.toString());
    assertFalse(
        pub.stream().anyMatch(s -> s.endsWith(".deploy.*") || s.endsWith(".put")), pub.toString());
    assertEquals(
        List.of("wasmbus.evt.lat1", "wadm.evt.lat1", "wadm.status.lat1.*", "_INBOX.dashboard.>"),
        access.reader().permissions().subscribe());
  }

  @Test
  void theAdminMayAlsoActButNotStopHostsOrRelabelThem() {
    List<String> pub = access.admin().permissions().publish();
    assertTrue(pub.containsAll(access.reader().permissions().publish()));
    assertTrue(pub.contains("wasmbus.ctl.lat1.cmd.*.la"));
    assertTrue(pub.contains("wasmbus.ctl.lat1.linkdefs.del"));
    assertTrue(pub.contains("wadm.api.lat1.model.undeploy.*"));
    assertFalse(pub.contains("wasmbus.ctl.lat1.cmd.*.stop"));
    assertFalse(pub.stream().anyMatch(s -> s.contains("label") || s.contains("registries")));
    assertTrue(access.admin().permissions().subscribe().contains("_INBOX.dashboard-admin.>"));
  }

  @Test
  void eachUserHasItsOwnRandomPassword() {
    DashboardAccess other = DashboardAccess.generate("lat1", "wasmbus.ctl", List.of("browser.>"));
    assertNotEquals(access.reader().password(), other.reader().password());
    assertNotEquals(access.reader().password(), access.admin().password());
    assertTrue(access.admin().password().length() >= 24);
    assertFalse(access.admin().toString().contains(access.admin().password()));
  }

  @Test
  void browserSubjectsMustStayOutOfTheLatticesOwn() {
    for (String bad : List.of("wasmbus.ctl.x", "wadm.api.>", "_INBOX.x", "$JS.API.>", ">", "*.x")) {
      LatticeException e =
          assertThrows(
              LatticeException.class,
              () -> DashboardAccess.generate("l", "wasmbus.ctl", List.of(bad)),
              bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    for (String bad : List.of("a b", "a..b", "a\"b", "")) {
      assertThrows(
          LatticeException.class, () -> DashboardAccess.generate("l", "wasmbus.ctl", List.of(bad)));
    }
    assertEquals(
        List.of("app.orders.*", "browser.>"),
        DashboardAccess.generate("l", "wasmbus.ctl", List.of("app.orders.*", "browser.>"))
            .browser()
            .permissions()
            .publish());
  }

  @Test
  void theNatsConfigHashesEveryPasswordAndKeepsTcpOpenOnLoopback() {
    String c = NatsAccessConfig.render(access, "127.0.0.1", 4223);
    assertFalse(c.contains(access.reader().password()));
    assertFalse(c.contains(access.admin().password()));
    assertTrue(c.contains("no_auth_user: \"trellis\""), c);
    assertTrue(c.contains("listen: \"127.0.0.1:4223\""), c);
    assertEquals(3, c.split("password: \"\\$2a\\$10\\$", -1).length - 1, c);
    assertTrue(c.contains("allowed_connection_types: [\"STANDARD\"]"), c);
  }
}
