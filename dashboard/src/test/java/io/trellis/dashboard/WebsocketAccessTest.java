package io.trellis.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsServerOptions;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The websocket users of PROTOCOL.md §17 against a real nats-server and a real host: NATS itself
 * refuses what a user may not do, TCP clients on loopback need no credentials, and a websocket
 * client needs a user.
 */
class WebsocketAccessTest {
  @TempDir static Path dir;
  static NatsServer nats;
  static Host host;
  static DashboardAccess access;
  static int wsPort;
  static final Path ECHO = Path.of("..", "actors-samples", "dist", "echo.wasm").toAbsolutePath();

  @BeforeAll
  static void start() {
    access = DashboardAccess.generate("default", "wasmbus.ctl", List.of("browser.>"));
    wsPort = FreePorts.allocate();
    nats =
        NatsServer.start(
            NatsServerOptions.builder()
                .extraConfig(NatsAccessConfig.render(access, "127.0.0.1", wsPort))
                .build());
    // the host connects over TCP without credentials, as every host, provider and CLI does
    host =
        TestHosts.start(
            nats,
            KeyPair.generate(KeyType.CLUSTER),
            dir,
            Map.of("WASMCLOUD_ALLOW_FILE_LOAD", "true"));
  }

  @AfterAll
  static void stop() {
    if (host != null) {
      host.stop(Duration.ofSeconds(5));
    }
    if (nats != null) {
      nats.close();
    }
  }

  /** Errors the server sent this connection (-ERR lines). */
  record Ws(Connection nc, Queue<String> errors) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      nc.close();
    }
  }

  static Ws ws(WebsocketUser u) throws Exception {
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    Options o =
        Options.builder()
            .server("ws://127.0.0.1:" + wsPort)
            .userInfo(u.name(), u.password())
            .inboxPrefix(u.inboxPrefix())
            .errorListener(
                new ErrorListener() {
                  @Override
                  public void errorOccurred(Connection conn, String error) {
                    errors.add(error);
                  }
                })
            .build();
    return new Ws(Nats.connect(o), errors);
  }

  static String la() {
    return "wasmbus.ctl.default.cmd." + host.id() + ".la";
  }

  static byte[] startEcho(int count) {
    return ("{\"actor_ref\":\"file://" + ECHO + "\",\"count\":" + count + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theReadOnlyUserCannotStartAnActorNatsRefusesThePublish() throws Exception {
    try (Ws reader = ws(access.reader());
        Ws admin = ws(access.admin())) {
      // what the reader may do works: ping and inventory
      Message ping =
          reader.nc().request("wasmbus.ctl.default.ping.hosts", new byte[0], Duration.ofSeconds(5));
      assertEquals(host.id(), Json.MAPPER.readTree(ping.getData()).path("id").asText());

      reader.nc().publish(la(), reader.nc().createInbox(), startEcho(3));
      reader.nc().flush(Duration.ofSeconds(5));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  reader.errors().stream()
                      .anyMatch(
                          e ->
                              e.contains("Permissions Violation for Publish") && e.contains(la())));

      // positive control: the same command from the admin user is delivered and acted on
      Message ack = admin.nc().request(la(), startEcho(1), Duration.ofSeconds(10));
      assertTrue(
          Json.MAPPER.readTree(ack.getData()).path("accepted").asBoolean(),
          new String(ack.getData(), StandardCharsets.UTF_8));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> host.actors().counts().values().stream().mapToInt(i -> i).sum() == 1);
      // one instance: the admin's; the reader's three never reached the host
      JsonNode inv =
          Json.MAPPER.readTree(
              reader
                  .nc()
                  .request(
                      "wasmbus.ctl.default.get." + host.id() + ".inv",
                      new byte[0],
                      Duration.ofSeconds(5))
                  .getData());
      assertEquals(1, inv.path("actors").get(0).path("instances").size(), inv.toString());
    }
  }

  @Test
  void theReadOnlyUserCannotReadInvocationsOrOtherUsersReplies() throws Exception {
    try (Ws reader = ws(access.reader())) {
      for (String subject : List.of("wasmbus.rpc.default.>", "_INBOX.dashboard-admin.>", ">")) {
        reader.nc().subscribe(subject);
        reader.nc().flush(Duration.ofSeconds(5));
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    reader.errors().stream()
                        .anyMatch(
                            e ->
                                e.contains("Permissions Violation for Subscription")
                                    && e.contains(subject)));
      }
    }
  }

  @Test
  void theBrowserUserMayOnlyPublishToItsSubjects() throws Exception {
    try (Ws browser = ws(access.browser())) {
      browser.nc().publish("browser.greet", new byte[0]);
      browser.nc().publish("wasmbus.ctl.default.ping.hosts", new byte[0]);
      browser.nc().flush(Duration.ofSeconds(5));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> browser.errors().stream().anyMatch(e -> e.contains("ping.hosts")));
      assertTrue(
          browser.errors().stream().noneMatch(e -> e.contains("browser.greet")),
          browser.errors().toString());
    }
  }

  @Test
  void aWebsocketClientNeedsAUserAndTheTcpUserCannotUseTheWebsocket() {
    Options anonymous =
        Options.builder().server("ws://127.0.0.1:" + wsPort).maxReconnects(0).build();
    Exception e = assertThrows(Exception.class, () -> Nats.connect(anonymous).close());
    assertTrue(String.valueOf(e.getMessage()).contains("Authorization Violation"), e.toString());
    Options wrong =
        Options.builder()
            .server("ws://127.0.0.1:" + wsPort)
            .userInfo(access.admin().name(), access.reader().password())
            .maxReconnects(0)
            .build();
    assertThrows(Exception.class, () -> Nats.connect(wrong).close());
  }

  @Test
  void tcpClientsOnLoopbackStillNeedNoCredentials() throws Exception {
    try (Connection nc = Nats.connect(nats.url())) {
      Message ping =
          nc.request("wasmbus.ctl.default.ping.hosts", new byte[0], Duration.ofSeconds(5));
      assertEquals(host.id(), Json.MAPPER.readTree(ping.getData()).path("id").asText());
    }
  }
}
