package io.trellis.cli.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.cli.CliRunner.Result;
import io.trellis.cli.ctl.CliLattice;
import io.trellis.ctl.ActorStarted;
import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trellis call} against the echo sample on a real host. */
class CallCommandTest {
  @TempDir static Path dir;
  static CliLattice lattice;
  static Host host;
  static String echo;
  static String seed;

  @BeforeAll
  static void up() {
    lattice = new CliLattice(dir, List.of(Map.of()));
    host = lattice.host(0);
    seed = lattice.cluster.seed();
    try (CtlClient c = CtlClient.builder().url(lattice.nats.url()).build()) {
      ActorStarted s =
          c.startActorAndWait(
              host.id(),
              Path.of(CliLattice.ECHO).toAbsolutePath().toUri().toString(),
              1,
              Map.of(),
              Duration.ofSeconds(20));
      echo = s.actorId();
    }
  }

  @AfterAll
  static void down() {
    lattice.close();
  }

  /** The echo actor answers with its request as JSON (see actors-samples/README.md). */
  static JsonNode echoed(String body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  @Test
  void dataIsSentAsMsgPackAndTheReplyShownAsJson() throws Exception {
    Result r =
        lattice.run(
            "call",
            echo,
            "HttpServer.HandleRequest",
            "--cluster-seed",
            seed,
            "--data",
            "{\"method\":\"GET\",\"path\":\"/x\",\"queryString\":\"a=1\",\"header\":{},\"body\":\"hi\"}");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode reply = Json.MAPPER.readTree(r.out());
    assertEquals(200, reply.get("statusCode").asInt());
    assertTrue(reply.get("header").isObject());
    JsonNode body = echoed(reply.get("body").asText()); // bin shown as text: it is UTF-8
    assertEquals("/x", body.get("path").asText());
    assertEquals("a=1", body.get("query_string").asText());
    assertEquals("[104,105]", body.get("body").toString());
  }

  @Test
  void dataFromAFileAndJsonOutput() throws Exception {
    Path req =
        Files.writeString(
            dir.resolve("req.json"),
            "{\"method\":\"PUT\",\"path\":\"/f\",\"queryString\":\"\",\"header\":{\"x\":[\"1\"]},\"body\":\"\"}");
    // "--data=@FILE": picocli expands a separate "@FILE" argument as an argument file
    Result r =
        lattice.run(
            "call",
            echo,
            "HttpServer.HandleRequest",
            "--cluster-seed",
            seed,
            "--data=@" + req,
            "-o",
            "json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode o = Json.MAPPER.readTree(r.out());
    assertEquals(echo, o.get("actor_id").asText());
    assertEquals("HttpServer.HandleRequest", o.get("operation").asText());
    assertTrue(o.get("reply_bytes").asInt() > 0);
    assertEquals("PUT", echoed(o.get("reply").get("body").asText()).get("method").asText());
  }

  @Test
  void httpBuildsTheRequestAndPrintsTheResponse() throws Exception {
    Result r =
        lattice.run(
            "call",
            echo,
            "--http",
            "post",
            "/items?page=2",
            "--body",
            "hello",
            "--header",
            "Content-Type: text/plain",
            "--cluster-seed",
            seed);
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("HTTP 200", lines.get(0));
    assertEquals("", lines.get(1), "no headers from echo, then the blank line");
    JsonNode body = echoed(lines.get(2));
    assertEquals("POST", body.get("method").asText());
    assertEquals("/items", body.get("path").asText());
    assertEquals("page=2", body.get("query_string").asText());
    assertEquals("[104,101,108,108,111]", body.get("body").toString());

    JsonNode j =
        Json.MAPPER.readTree(
            lattice
                .run("call", echo, "--http", "GET", "/", "--cluster-seed", seed, "-o", "json")
                .out());
    assertEquals(200, j.get("status").asInt());
    assertEquals("GET", echoed(j.get("body").asText()).get("method").asText());
  }

  @Test
  void theActorCanBeNamedAndTheSeedTakenFromTheHostConfig() throws Exception {
    Path config = host.config().hostConfigOut();
    assertTrue(Files.isRegularFile(config), "the host wrote " + config);
    Result r =
        lattice.run("call", "echo", "--http", "GET", "/named", "--host-config", config.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("/named", echoed(r.out().lines().toList().get(2)).get("path").asText());
  }

  @Test
  void failuresAreOneLineWithTheReason() {
    Result unknownOp =
        lattice.run("call", echo, "HttpServer.Nope", "--cluster-seed", seed, "--data", "{}");
    assertEquals(1, unknownOp.exitCode());
    assertEquals(
        "error: actor "
            + echo
            + " answered HttpServer.Nope with an error: Guest call failed for method "
            + "HttpServer.Nope: method not handled HttpServer::Nope\n",
        unknownOp.err());

    String ghost = KeyPair.generate(KeyType.MODULE).publicKey();
    Result notRunning = lattice.run("call", ghost, "X.Y", "--cluster-seed", seed);
    assertEquals(1, notRunning.exitCode());
    assertEquals(
        "error: actor "
            + ghost
            + " is not running in lattice 'default' (no responders for X.Y on "
            + "wasmbus.rpc.default."
            + ghost
            + ")\n",
        notRunning.err());

    KeyPair stranger = KeyPair.generate(KeyType.CLUSTER);
    Result wrongSeed =
        lattice.run("call", echo, "--http", "GET", "/", "--cluster-seed", stranger.seed());
    assertEquals(1, wrongSeed.exitCode());
    assertTrue(
        wrongSeed
            .err()
            .startsWith(
                "error: actor "
                    + echo
                    + " answered HttpServer.HandleRequest with an error: "
                    + "Issuer of this invocation is not among the list of valid issuers"),
        wrongSeed.err());
    assertTrue(!wrongSeed.err().contains(stranger.seed()), "never print a seed");

    Result badJson = lattice.run("call", echo, "Op.Do", "--cluster-seed", seed, "--data", "{oops");
    assertEquals(1, badJson.exitCode());
    assertTrue(badJson.err().startsWith("error: --data is not valid JSON: "), badJson.err());

    Result noOp = lattice.run("call", echo, "--cluster-seed", seed);
    assertEquals(2, noOp.exitCode());
    assertTrue(
        noOp.err().startsWith("error: give an OPERATION (with --data) or --http METHOD PATH"),
        noOp.err());

    Result noConfig =
        lattice.run("call", echo, "X.Y", "--host-config", dir.resolve("absent.json").toString());
    assertEquals(1, noConfig.exitCode());
    assertEquals(
        "error: no such file: "
            + dir.resolve("absent.json")
            + " (the host config file to take the cluster seed from)\n",
        noConfig.err());

    Result unknownName = lattice.run("call", "nosuchactor", "X.Y", "--cluster-seed", seed);
    assertEquals(2, unknownName.exitCode());
    assertTrue(
        unknownName
            .err()
            .startsWith(
                "error: 'nosuchactor' is neither an actor id (M…) nor the name or call "
                    + "alias of an actor in lattice 'default'"),
        unknownName.err());
  }
}
