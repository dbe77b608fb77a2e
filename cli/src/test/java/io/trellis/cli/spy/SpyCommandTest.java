package io.trellis.cli.spy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.cli.CliRunner.Result;
import io.trellis.cli.ctl.CliLattice;
import io.trellis.ctl.ActorStarted;
import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trellis spy} against the echo sample on a real host (PROTOCOL.md §16.3). */
class SpyCommandTest {
  @TempDir static Path dir;
  static CliLattice lattice;
  static Host host;
  static String echo;

  @BeforeAll
  static void up() {
    lattice = new CliLattice(dir, List.of(Map.of()));
    host = lattice.host(0);
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

  /** Runs the spy in the background and calls echo until it has printed one invocation. */
  static Result spyWhileCalling(String... spyArgs) {
    CompletableFuture<Result> spy = CompletableFuture.supplyAsync(() -> lattice.run(spyArgs));
    Awaitility.await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Result call =
                  lattice.run(
                      "call",
                      echo,
                      "--http",
                      "GET",
                      "/spied",
                      "--cluster-seed",
                      lattice.cluster.seed());
              assertEquals(0, call.exitCode(), call.err());
              return spy.isDone();
            });
    return spy.join();
  }

  @Test
  void showsRequestAndReplyDecodedWithLatencyByName() {
    Result r =
        spyWhileCalling(
            "spy", "echo", "--max-events", "1", "--duration-ms", "40000", "--max-bytes", "100000");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("Spying on actor echo (" + echo + ")"), r.err());
    String out = r.out();
    assertTrue(out.contains("IN  "), out);
    assertTrue(out.contains("-> echo  HttpServer.HandleRequest  "), out);
    assertTrue(out.matches("(?s).*HttpServer.HandleRequest  \\d+\\.\\d{3} ms.*"), out);
    // the request msgpack as JSON, and the reply (an HttpResponse whose body is the echo)
    assertTrue(out.contains("request:  {\"method\":\"GET\",\"path\":\"/spied\""), out);
    assertTrue(out.contains("response: {\"statusCode\":200"), out);
  }

  @Test
  void longBodiesAreCutToMaxBytes() {
    Result r = spyWhileCalling("spy", echo, "--max-events", "1", "--max-bytes", "8");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().matches("(?s).*request: .*… \\(8 of \\d+ bytes shown\\).*"), r.out());
  }

  @Test
  void unknownActorIsNamed() {
    Result r = lattice.run("spy", "no-such-actor", "--max-events", "1");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("unknown actor 'no-such-actor'"), r.err());
  }

  @Test
  void anActorNoHostRunsIsNamed() {
    String key = KeyPair.generate(KeyType.MODULE).publicKey();
    Result r = lattice.run("spy", key, "--max-events", "1");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("no host in lattice 'default' runs actor " + key), r.err());
  }
}
