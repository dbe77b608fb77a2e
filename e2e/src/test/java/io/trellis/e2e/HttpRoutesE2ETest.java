package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.trellis.cli.Trellis;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two real actors behind one listener of the real httpserver provider process, chosen by route
 * (PROTOCOL.md §18), and a conflicting route refused where an operator sees it: the {@code
 * linkdef_set_failed} event and {@code trellis ctl link put --wait}.
 */
class HttpRoutesE2ETest {
  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  static Result trellis(String... args) {
    CommandLine cl = Trellis.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void twoActorsOnOnePortByRouteAndAConflictIsReportedToTheOperator() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect();
        Host host =
            TestHosts.start(
                nats,
                KeyPair.generate(KeyType.CLUSTER),
                dir,
                Map.of("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "300"))) {
      List<JsonNode> refusals = new CopyOnWriteArrayList<>();
      watcher
          .createDispatcher(
              m -> {
                try {
                  JsonNode e = Json.MAPPER.readTree(m.getData());
                  if (e.path("type").asText().endsWith(".linkdef_set_failed")) {
                    refusals.add(e);
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              })
          .subscribe("wasmbus.evt.default");
      watcher.flush(Duration.ofSeconds(2));
      String echo = Lattice.actor(host, "echo");
      String hasher = Lattice.actor(host, "hasher");
      String pinger = Lattice.actor(host, "pinger");
      byte[] par = Lattice.par("httpserver");
      String httpserver = ProviderArchive.read(par).publicKey();
      host.providers().start(par, "", "default", "", Map.of());
      int port = FreePorts.allocate();
      String address = "127.0.0.1:" + port;
      host.lattice()
          .putLink(
              LinkDefinition.of(
                  echo,
                  httpserver,
                  "default",
                  Contracts.HTTP_SERVER,
                  Map.of("address", address, "path", "/v1/echo/*")));
      host.lattice()
          .putLink(
              LinkDefinition.of(
                  hasher,
                  httpserver,
                  "default",
                  Contracts.HTTP_SERVER,
                  Map.of("address", address, "path", "/v1/hash/:name")));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Lattice.tryGet(port, "/v1/echo/a").startsWith("200")
                      && Lattice.tryGet(port, "/v1/hash/x").startsWith("200"));

      var echoed = Lattice.get(port, "/v1/echo/pages/7?full=1");
      assertEquals(200, echoed.statusCode());
      JsonNode body = Json.MAPPER.readTree(echoed.body());
      assertEquals("/v1/echo/pages/7", body.get("path").asText(), "the actor gets the full path");
      assertEquals("full=1", body.get("query_string").asText());
      var hashed = Lattice.get(port, "/v1/hash/x?n=1");
      assertEquals(200, hashed.statusCode());
      assertTrue(hashed.body().matches("[0-9a-f]{64}"), hashed.body());
      var none = Lattice.get(port, "/v1/nothing");
      assertEquals(404, none.statusCode());
      assertEquals("Not Found: no route for /v1/nothing", none.body().strip());

      // a conflicting route: the ctl put is stored, the provider refuses it, the operator sees why
      Result conflict =
          trellis(
              "ctl",
              "link",
              "put",
              pinger,
              httpserver,
              Contracts.HTTP_SERVER,
              "address=" + address,
              "path=/v1/echo/*",
              "--wait",
              "20000",
              "--ctl-port",
              Integer.toString(nats.port()));
      assertEquals(1, conflict.exitCode(), conflict.out() + conflict.err());
      assertTrue(
          conflict
              .err()
              .contains(
                  "the link is stored, but provider "
                      + httpserver
                      + " on host "
                      + host.id()
                      + " refused it: The link of actor "
                      + pinger
                      + " (path /v1/echo/*) conflicts with the link of actor "
                      + echo
                      + " (path /v1/echo/*) on "
                      + address),
          conflict.err());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !refusals.isEmpty());
      JsonNode event = refusals.get(0);
      assertEquals(host.id(), event.get("source").asText());
      assertEquals(pinger, event.at("/data/actor_id").asText());
      assertEquals("/v1/echo/*", event.at("/data/values/path").asText());
      assertTrue(event.at("/data/error").asText().contains(echo), event.toString());
      assertTrue(Lattice.get(port, "/v1/echo/b").body().contains("\"path\""), "echo still serves");

      // removing echo's link removes only its route; the freed route can then be taken
      host.lattice().deleteLink(echo, Contracts.HTTP_SERVER, "default");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Lattice.tryGet(port, "/v1/echo/c").startsWith("404"));
      assertEquals(200, Lattice.get(port, "/v1/hash/x").statusCode(), "the other route stays");
      Result retaken =
          trellis(
              "ctl",
              "link",
              "put",
              pinger,
              httpserver,
              Contracts.HTTP_SERVER,
              "address=" + address,
              "path=/v1/echo/*",
              "--ctl-port",
              Integer.toString(nats.port()));
      assertEquals(0, retaken.exitCode(), retaken.err());
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Lattice.tryGet(port, "/v1/echo/d").startsWith("500"));
      assertEquals(1, refusals.size(), "only the conflicting put was refused");
    }
  }
}
