package io.trellis.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A real nats-server, real in-JVM hosts, and a client: what every test here runs against. */
final class CtlLattice implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The committed echo sample, by absolute path (hosts load files with WASMCLOUD_ALLOW_FILE_LOAD).
   */
  static final Path ECHO =
      Path.of("..", "actors-samples", "dist", "echo.wasm").toAbsolutePath().normalize();

  final NatsServer nats;
  final KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
  final List<Host> hosts = new ArrayList<>();
  final Connection raw;
  final CtlClient client;
  private final Path dir;

  CtlLattice(Path dir, List<Map<String, String>> hostEnvs) {
    this.dir = dir;
    this.nats = NatsServer.start();
    try {
      for (Map<String, String> env : hostEnvs) {
        addHost(env);
      }
      this.raw = nats.connect();
      this.client =
          CtlClient.builder()
              .url(nats.url())
              .timeout(Duration.ofSeconds(3))
              .auctionTimeout(Duration.ofMillis(500))
              .build();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static CtlLattice withHosts(Path dir, int n) {
    List<Map<String, String>> envs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      envs.add(Map.of());
    }
    return new CtlLattice(dir, envs);
  }

  Host addHost(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("WASMCLOUD_ALLOW_FILE_LOAD", "true"));
    env.putAll(extra);
    Host h = TestHosts.start(nats, cluster, dir, env);
    hosts.add(h);
    return h;
  }

  Host host(int i) {
    return hosts.get(i);
  }

  static String echoRef() {
    return ECHO.toUri().toString();
  }

  /**
   * The echo sample re-signed as another actor or revision: {@code moduleKey} decides the actor id
   * (a fresh key gives an actor no other test touches), {@code rev} the revision.
   */
  static Path signedEcho(Path dir, String name, KeyPair account, KeyPair moduleKey, int rev)
      throws java.io.IOException {
    byte[] bytes = java.nio.file.Files.readAllBytes(ECHO);
    ActorMetadata meta =
        new ActorMetadata(
            name,
            null,
            List.of(),
            List.of("wasmcloud:httpserver"),
            rev,
            "0." + rev + ".0",
            null,
            false);
    byte[] signed =
        ModuleClaims.sign(
            bytes,
            meta,
            account,
            moduleKey,
            java.time.Instant.now().getEpochSecond(),
            "test-" + rev,
            null,
            null);
    return java.nio.file.Files.write(dir.resolve(name + "-r" + rev + ".wasm"), signed);
  }

  static Path signedEcho(Path dir, String name) throws java.io.IOException {
    return signedEcho(
        dir, name, KeyPair.generate(KeyType.ACCOUNT), KeyPair.generate(KeyType.MODULE), 1);
  }

  /** A plain NATS request, to see the exact bytes a host answers. */
  JsonNode rawRequest(String subject, String body) throws Exception {
    Message m =
        raw.request(
            subject, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofSeconds(5));
    if (m == null) {
      throw new AssertionError("no reply on " + subject);
    }
    return JSON.readTree(m.getData());
  }

  /** Every raw reply to one publish, collected for {@code window}. */
  List<JsonNode> rawGather(String subject, String body, Duration window) throws Exception {
    String inbox = raw.createInbox();
    Subscription sub = raw.subscribe(inbox);
    raw.publish(subject, inbox, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    List<JsonNode> out = new ArrayList<>();
    long end = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < end) {
      Message m =
          sub.nextMessage(Duration.ofMillis(Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      if (m != null && !m.isStatusMessage()) {
        out.add(JSON.readTree(m.getData()));
      }
    }
    sub.unsubscribe();
    return out;
  }

  static Set<String> fields(JsonNode n) {
    Set<String> s = new TreeSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    for (Host h : hosts) {
      try {
        h.stop(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        // keep closing the rest
      }
    }
    if (raw != null) {
      try {
        raw.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    nats.close();
  }
}
