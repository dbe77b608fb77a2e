package io.trellis.cli.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.cli.CliRunner.Result;
import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.testkit.FreePorts;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** {@code trellis ctl …} through the real entry point against real hosts: output and exit codes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CtlCommandsTest {
  static final Pattern STARTED =
      Pattern.compile(
          "Actor (M[A-Z0-9]{55}) \\(echo\\) started on host (N[A-Z0-9]{55}) \\((\\d+) instances?\\)\n");
  @TempDir static Path dir;
  static CliLattice lattice;
  static String eu;
  static String us;

  /** The echo actor the auction test starts on the us host; later tests use it. */
  static String echo;

  @BeforeAll
  static void up() {
    lattice =
        new CliLattice(
            dir,
            List.of(
                Map.of("HOST_region", "eu", "TRELLIS_FRIENDLY_NAME", "eu-host"),
                Map.of("HOST_region", "us", "TRELLIS_FRIENDLY_NAME", "us-host")));
    eu = lattice.host(0).id();
    us = lattice.host(1).id();
  }

  @AfterAll
  static void down() {
    lattice.close();
  }

  static JsonNode json(Result r) throws Exception {
    assertEquals(0, r.exitCode(), r.err());
    return Json.MAPPER.readTree(r.out());
  }

  @Test
  @Order(1)
  void getHostsPrintsATableOrJson() throws Exception {
    Result r = lattice.run("ctl", "get", "hosts", "--timeout-ms", "500");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("HOST ID"), lines.get(0));
    assertTrue(lines.get(1).startsWith(eu + "  eu-host"), lines.get(1));
    assertTrue(lines.get(1).contains("region=eu"), lines.get(1));
    assertTrue(lines.get(2).startsWith(us + "  us-host"), lines.get(2));

    JsonNode j = json(lattice.run("ctl", "get", "hosts", "--timeout-ms", "500", "-o", "json"));
    assertEquals(2, j.get("hosts").size());
    for (JsonNode h : j.get("hosts")) {
      assertTrue(h.get("id").asText().equals(eu) || h.get("id").asText().equals(us));
      assertTrue(h.get("cluster_issuers").isTextual());
    }
  }

  @Test
  @Order(2)
  void startActorByAuctionWithAConstraintWaitsForTheHost() {
    Result r =
        lattice.run(
            "ctl", "start", "actor", CliLattice.ECHO, "--constraint", "region=us", "--count", "2");
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = STARTED.matcher(r.out());
    assertTrue(m.matches(), r.out());
    assertEquals(us, m.group(2));
    assertEquals("2", m.group(3));
    echo = m.group(1);
    String ref = Path.of(CliLattice.ECHO).toAbsolutePath().normalize().toUri().toString();
    assertTrue(
        r.err().contains("Auctioning actor " + ref + " with constraints region=us…"), r.err());
    assertTrue(r.err().contains("Host " + us + " bid first"), r.err());
    assertTrue(
        r.err().contains("Starting 2 instance(s) of " + ref + " on host " + us + "…"), r.err());
    assertEquals(
        2,
        r.err()
            .lines()
            .filter(l -> l.startsWith("  instance ") && l.endsWith(" of " + echo + " started"))
            .count(),
        r.err());
  }

  @Test
  @Order(3)
  void anAuctionWithoutBidsFailsWithOneLine() {
    String echoRef = Path.of(CliLattice.ECHO).toAbsolutePath().normalize().toUri().toString();
    try (var client = CtlClient.builder().url(lattice.nats.url()).build()) {
      // positive control: an unconstrained auction over the same window, at the same time, gets
      // both hosts' bids, so "no hosts responded" means nobody matched, not that they were slow
      CompletableFuture<Set<String>> control =
          CompletableFuture.supplyAsync(
              () ->
                  Set.copyOf(
                      client.auctionActor(echoRef, Map.of(), Duration.ofMillis(300)).stream()
                          .map(Auctions.ActorAck::hostId)
                          .toList()));
      Result r =
          lattice.run(
              "ctl",
              "start",
              "actor",
              CliLattice.ECHO,
              "--constraint",
              "region=mars",
              "--auction-timeout-ms",
              "300");
      assertEquals(Set.of(eu, us), control.join(), "control: both hosts bid in time");
      assertEquals(1, r.exitCode());
      assertTrue(
          r.err().endsWith("error: no hosts responded to auction with constraints region=mars\n"),
          r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  @Order(4)
  void startActorOnANamedHostReportsTheRefusal() {
    Result r = lattice.run("ctl", "start", "actor", "nope.wasm", "--host-id", eu);
    assertEquals(1, r.exitCode());
    String ref = Path.of("nope.wasm").toAbsolutePath().toUri().toString();
    assertTrue(
        r.err()
            .contains(
                "error: starting actor " + ref + " on host " + eu + " was refused: no such file: "),
        r.err());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("error:")).count());
    assertTrue(
        r.err().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace without --verbose");

    Result verbose =
        lattice.run("ctl", "start", "actor", "nope.wasm", "--host-id", eu, "--verbose");
    assertTrue(
        verbose.err().lines().anyMatch(l -> l.startsWith("\tat ")),
        "--verbose shows the stack trace");
  }

  @Test
  @Order(5)
  void inventoryOfOneHostAndOfAll() throws Exception {
    Result one = lattice.run("ctl", "get", "inventory", us);
    assertEquals(0, one.exitCode(), one.err());
    assertTrue(one.out().startsWith("Host " + us + " (us-host)\nLabels: "), one.out());
    assertTrue(
        one.out().lines().anyMatch(l -> l.startsWith(echo) && l.matches(".*\\becho\\s+2\\s+.*")),
        one.out());
    assertTrue(one.out().contains("No providers running"), one.out());

    JsonNode inv = json(lattice.run("ctl", "get", "inventory", us, "-o", "json"));
    assertEquals(us, inv.get("host_id").asText());
    assertEquals(2, inv.get("actors").get(0).get("instances").size());

    Result all = lattice.run("ctl", "get", "inventory", "--timeout-ms", "500");
    assertEquals(0, all.exitCode(), all.err());
    assertTrue(
        all.out().contains("Host " + eu + " (eu-host)")
            && all.out().contains("Host " + us + " (us-host)"));
    assertTrue(all.out().contains("No actors running"), "the eu host runs nothing");
    assertEquals(
        2,
        json(lattice.run("ctl", "get", "inventory", "--timeout-ms", "500", "-o", "json"))
            .get("inventories")
            .size());

    Result ghost =
        lattice.run("ctl", "get", "inventory", KeyPair.generate(KeyType.SERVER).publicKey());
    assertEquals(1, ghost.exitCode());
    assertTrue(ghost.err().startsWith("error: host N"), ghost.err());
    assertTrue(ghost.err().contains(" is not in lattice 'default'"), ghost.err());
  }

  @Test
  @Order(6)
  void claimsShowTheStartedActor() throws Exception {
    Result r = lattice.run("ctl", "get", "claims");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith(echo) && l.contains("echo") && l.contains("wasmcloud:httpserver")),
        r.out());
    JsonNode j = json(lattice.run("ctl", "get", "claims", "-o", "json"));
    assertEquals(echo, j.get("claims").get(0).get("sub").asText());
  }

  @Test
  @Order(7)
  void linksArePutQueriedAndDeleted() throws Exception {
    String provider = KeyPair.generate(KeyType.SERVICE).publicKey();
    Result put =
        lattice.run(
            "ctl",
            "link",
            "put",
            echo,
            provider,
            "wasmcloud:httpserver",
            "address=0.0.0.0:8080",
            "--link-name",
            "web");
    assertEquals(0, put.exitCode(), put.err());
    assertEquals(
        "Published link ("
            + echo
            + ") <-> ("
            + provider
            + ") for wasmcloud:httpserver with link name 'web'\n",
        put.out());

    Result q = lattice.run("ctl", "link", "query");
    assertEquals(0, q.exitCode(), q.err());
    assertTrue(
        q.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith(echo)
                        && l.contains(provider)
                        && l.contains("web")
                        && l.endsWith("address=0.0.0.0:8080")),
        q.out());
    JsonNode links = json(lattice.run("ctl", "get", "links", "-o", "json")).get("links");
    assertEquals(1, links.size());
    assertEquals("0.0.0.0:8080", links.get(0).get("values").get("address").asText());

    JsonNode del =
        json(
            lattice.run(
                "ctl", "link", "del", echo, "wasmcloud:httpserver", "-l", "web", "-o", "json"));
    assertEquals(true, del.get("accepted").asBoolean());
    assertEquals("No links found\n", lattice.run("ctl", "link", "query").out());

    // deleting an absent link succeeds (as on an OTP host) and says there was nothing to delete
    Result again = lattice.run("ctl", "link", "del", echo, "wasmcloud:httpserver", "-l", "web");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(
        again.out().startsWith("Accepted: nothing to delete: no link from actor " + echo),
        again.out());

    Result bad = lattice.run("ctl", "link", "put", echo, provider, "wasmcloud:keyvalue", "novalue");
    assertEquals(2, bad.exitCode());
    assertTrue(
        bad.err().startsWith("error: link value 'novalue' must look like key=value"), bad.err());
  }

  @Test
  @Order(8)
  void labelsArePutAndDeleted() throws Exception {
    Result put = lattice.run("ctl", "label", "put", eu, "tier=gold");
    assertEquals(0, put.exitCode(), put.err());
    assertEquals("Host " + eu + " now has label tier=gold\n", put.out());
    assertTrue(
        lattice.run("ctl", "get", "hosts", "--timeout-ms", "400").out().contains("tier=gold"));

    JsonNode del = json(lattice.run("ctl", "label", "del", eu, "tier", "-o", "json"));
    assertEquals(Json.MAPPER.readTree("{\"accepted\":true,\"error\":\"\"}"), del);
    Result again = lattice.run("ctl", "label", "del", eu, "tier");
    assertEquals(1, again.exitCode());
    assertEquals(
        "error: host "
            + eu
            + " could not remove label 'tier': host "
            + eu
            + " has no label 'tier'\n",
        again.err());
  }

  @Test
  @Order(9)
  void scaleUpdateAndStopAnActor() {
    Result scale = lattice.run("ctl", "scale", "actor", us, echo, "--count", "1");
    assertEquals(0, scale.exitCode(), scale.err());
    assertEquals("Host " + us + " is scaling actor " + echo + " to 1 instance(s)\n", scale.out());

    Result negative = lattice.run("ctl", "scale", "actor", us, echo, "--count", "-1");
    assertEquals(2, negative.exitCode());
    assertTrue(
        negative.err().startsWith("error: --count must be 0 or more, got -1"), negative.err());

    Result update = lattice.run("ctl", "update", "actor", us, echo, CliLattice.ECHO);
    assertEquals(1, update.exitCode());
    assertTrue(
        update
            .err()
            .startsWith(
                "error: host "
                    + us
                    + " could not update actor "
                    + echo
                    + ": Unable to perform live update: new revision"),
        update.err());

    Result stop = lattice.run("ctl", "stop", "actor", us, echo);
    assertEquals(0, stop.exitCode(), stop.err());
    assertEquals(
        "Stopped 1 instance(s) of actor " + echo + " on host " + us + " (0 remaining)\n",
        stop.out());
    // stopping what is not running succeeds, as on an OTP host, and says there was nothing to stop
    Result again = lattice.run("ctl", "stop", "actor", us, echo);
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(
        "Accepted: nothing to stop: actor " + echo + " is not running on host " + us + "\n",
        again.out());
    Result json = lattice.run("ctl", "stop", "actor", us, echo, "-o", "json");
    assertEquals(0, json.exitCode(), json.err());
    assertTrue(json.out().contains("\"accepted\" : true"), json.out());
  }

  @Test
  @Order(13)
  void startAndStopAProvider() {
    Path par = Path.of("../capability-providers/dist/keyvalue.par.gz");
    // cli depends on provider-keyvalue (test scope) so that a reactor build packages it first
    assertTrue(
        java.nio.file.Files.isRegularFile(par),
        "provider archive "
            + par.toAbsolutePath().normalize()
            + " is missing: build it with"
            + " `mvn -pl capability-providers/keyvalue -am package -DskipTests`");
    Result start =
        lattice.run(
            "ctl", "start", "provider", par.toString(), "--link-name", "kv", "-c", "region=eu");
    assertEquals(0, start.exitCode(), start.err());
    Matcher m =
        Pattern.compile(
                "Provider (V[A-Z0-9]{55}) \\((.*)\\) started on host "
                    + eu
                    + " with link name 'kv' for wasmcloud:keyvalue\n")
            .matcher(start.out());
    assertTrue(m.matches(), start.out());
    assertTrue(start.err().contains("Auctioning provider "), start.err());

    Result stop =
        lattice.run("ctl", "stop", "provider", eu, m.group(1), "kv", "wasmcloud:keyvalue");
    assertEquals(0, stop.exitCode(), stop.err());
    assertEquals(
        "Provider " + m.group(1) + " (link name 'kv') stopped on host " + eu + "\n", stop.out());
  }

  /**
   * A {@code trellis ctl watch} running in the background, whose stderr can be read while it runs.
   */
  record Watch(
      java.util.concurrent.CompletableFuture<Integer> exit,
      java.io.StringWriter out,
      java.io.StringWriter err) {
    static Watch start(String... args) {
      picocli.CommandLine cl = io.trellis.cli.Trellis.commandLine();
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      cl.setOut(new java.io.PrintWriter(out, true));
      cl.setErr(new java.io.PrintWriter(err, true));
      String[] all = java.util.Arrays.copyOf(args, args.length + 2);
      all[args.length] = "--ctl-port";
      all[args.length + 1] = Integer.toString(lattice.nats.port());
      Watch w =
          new Watch(
              java.util.concurrent.CompletableFuture.supplyAsync(() -> cl.execute(all)), out, err);
      // the banner is printed once the subscription is live at the server
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> err.toString().startsWith("Watching") || w.exit().isDone());
      return w;
    }
  }

  @Test
  @Order(10)
  void watchStreamsEventsUntilTheBound() throws Exception {
    Watch w =
        Watch.start(
            "ctl", "watch", "--type", "host_heartbeat", "--max-events", "2", "--duration", "20s");
    assertTrue(
        w.err()
            .toString()
            .startsWith("Watching events of lattice 'default' of type host_heartbeat"),
        w.err().toString());
    // every ping makes every host beat (PROTOCOL.md §8.2): two hosts, two heartbeats
    try (var client = io.trellis.ctl.CtlClient.builder().url(lattice.nats.url()).build()) {
      client.pingHosts(Duration.ofMillis(100));
    }
    assertEquals(0, w.exit().get(20, java.util.concurrent.TimeUnit.SECONDS), w.err().toString());
    List<String> lines = w.out().toString().lines().toList();
    assertEquals(2, lines.size(), w.out().toString());
    for (String l : lines) {
      assertTrue(
          l.matches(
              "\\d{4}-\\d\\d-\\d\\dT\\S+Z  host_heartbeat\\s+host N[A-Z0-9]{55} \\((eu|us)-host\\): "
                  + "\\d+ actor\\(s\\) \\(\\d+ instance\\(s\\)\\), 0 provider\\(s\\), up .*"),
          l);
    }

    Result quiet =
        lattice.run("ctl", "watch", "--type", "actor_started", "--duration", "300ms", "-o", "json");
    assertEquals(0, quiet.exitCode(), quiet.err());
    assertEquals("", quiet.out());
  }

  @Test
  @Order(11)
  void watchJsonPrintsRawCloudEventsAndStopHostWaitsForTheHost() throws Exception {
    Host extra = lattice.addHost(Map.of("HOST_region", "ap"));
    Watch w =
        Watch.start(
            "ctl",
            "watch",
            "--source",
            extra.id(),
            "--type",
            "host_stopped",
            "--max-events",
            "1",
            "--duration",
            "20s",
            "-o",
            "json");
    Result stop = lattice.run("ctl", "stop", "host", extra.id(), "--host-timeout-ms", "2000");
    assertEquals(0, stop.exitCode(), stop.err());
    assertEquals("Host " + extra.id() + " stopped\n", stop.out());
    assertEquals(0, w.exit().get(20, java.util.concurrent.TimeUnit.SECONDS), w.err().toString());
    JsonNode e = Json.MAPPER.readTree(w.out().toString());
    assertEquals("com.wasmcloud.lattice.host_stopped", e.get("type").asText());
    assertEquals(extra.id(), e.get("source").asText());
    assertEquals("1.0", e.get("specversion").asText());
  }

  @Test
  @Order(12)
  void withoutNatsTheErrorSaysWhereAndWhatToDo() {
    int port = FreePorts.allocate();
    Result r =
        io.trellis.cli.CliRunner.run("ctl", "get", "hosts", "--ctl-port", Integer.toString(port));
    assertEquals(1, r.exitCode());
    assertEquals(
        "error: cannot connect to NATS at nats://127.0.0.1:"
            + port
            + ": Connection refused (is a lattice running? try trellis up)\n",
        r.err());
  }
}
