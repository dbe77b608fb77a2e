package io.trellis.host.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.ctl.HostCommands.RegistryCredential;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config service client (PROTOCOL.md §8.6) against a responder on a real nats-server: the
 * request, every kind of reply, and a host that asks before host_started and starts anyway when
 * nothing usable comes back.
 */
class ConfigServiceTest {
  static final String SUBJECT = "wasmbus.cfg.default.req";
  @TempDir Path dir;
  NatsServer nats;
  Connection nc;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final List<String> seen = new CopyOnWriteArrayList<>();
  Dispatcher responder;

  @BeforeEach
  void setUp() throws Exception {
    nats = NatsServer.start();
    nc = nats.connect();
    // one dispatcher for requests and events: what it saw is in arrival order
    nc.createDispatcher(
            m -> {
              try {
                String type = Json.MAPPER.readTree(m.getData()).get("type").asText();
                seen.add(type.substring(type.lastIndexOf('.') + 1));
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            })
        .subscribe("wasmbus.evt.default");
  }

  @AfterEach
  void tearDown() throws Exception {
    nc.close();
    nats.close();
  }

  void respond(Function<JsonNode, byte[]> answer) throws Exception {
    responder =
        nc.createDispatcher(
            m -> {
              JsonNode req;
              try {
                req = Json.MAPPER.readTree(m.getData());
              } catch (IOException e) {
                throw new AssertionError(e);
              }
              requests.add(req);
              seen.add("config-request");
              byte[] reply = answer.apply(req);
              if (reply != null) {
                nc.publish(m.getReplyTo(), reply);
              }
            });
    responder.subscribe(SUBJECT);
    nc.flush(Duration.ofSeconds(2));
  }

  static byte[] raw(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  ConfigService.Answer ask() {
    return ConfigService.request(nc, "default", Map.of("zone", "eu"), Duration.ofMillis(400));
  }

  String unavailable() {
    return assertInstanceOf(ConfigService.Answer.Unavailable.class, ask()).why();
  }

  @Test
  void aFullReplyIsReadAndEntriesWithoutTheirKeysAreDropped() throws Exception {
    respond(
        req ->
            raw(
                """
                {"autoStartProviders": [
                   {"imageReference": "reg.example/kv:1", "linkName": "default"},
                   {"imageReference": "reg.example/http:1"},
                   {"linkName": "x"},
                   "reg.example/loose:1",
                   {"imageReference": 7, "linkName": "y"}],
                 "autoStartActors": ["reg.example/echo:1", 42, "", {"ref": "x"}, " reg.example/b:2 "],
                 "registryCredentials": {
                   "reg.example": {"registryType": "oci", "username": "u", "password": "p"},
                   "tok.example": {"registryType": "oci", "token": "t"},
                   "user.example": {"registryType": "oci", "username": "only"},
                   "untyped.example": {"username": "u", "password": "p"},
                   "bad.example": 5},
                 "somethingNew": true}
                """));
    ConfigService.Supplement s =
        assertInstanceOf(ConfigService.Answer.Supplied.class, ask()).supplement();
    assertEquals("eu", requests.getFirst().get("labels").get("zone").asText());
    assertEquals(
        List.of(new ConfigService.ProviderStart("reg.example/kv:1", "default")), s.providers());
    assertEquals(List.of("reg.example/echo:1", "reg.example/b:2"), s.actors());
    assertEquals(
        Map.of(
            "reg.example",
            new RegistryCredential("oci", "u", "p", null),
            "tok.example",
            new RegistryCredential("oci", null, null, "t"),
            "user.example",
            new RegistryCredential("oci", "only", null, null)),
        s.credentials());
  }

  @Test
  void anEmptyObjectOrNullsAreNothingToDo() throws Exception {
    respond(req -> raw("{\"autoStartActors\":null,\"registryCredentials\":null}"));
    ConfigService.Supplement s =
        assertInstanceOf(ConfigService.Answer.Supplied.class, ask()).supplement();
    assertTrue(s.actors().isEmpty() && s.providers().isEmpty() && s.credentials().isEmpty());
    // lists of the wrong type are skipped, the rest is kept
    assertEquals(
        List.of("r:1"),
        ConfigService.parse(raw("{\"autoStartProviders\":{},\"autoStartActors\":[\"r:1\"]}"))
            .actors());
  }

  @Test
  void everyUnusableAnswerSaysWhy() throws Exception {
    assertEquals("no responders (is a config service listening?)", unavailable());
    respond(req -> null);
    assertEquals("no reply within 400 ms", unavailable());
    for (var bad :
        Map.of(
                "not JSON", "{autoStart",
                "expected a JSON object, got ARRAY", "[]",
                "expected a JSON object, got STRING", "\"x\"")
            .entrySet()) {
      responder.unsubscribe(SUBJECT);
      respond(req -> raw(bad.getValue()));
      String why = unavailable();
      assertTrue(why.startsWith("unusable reply: " + bad.getKey()), bad + " -> " + why);
    }
    responder.unsubscribe(SUBJECT);
    respond(req -> new byte[0]);
    assertEquals("unusable reply: the body is empty", unavailable());
    assertThrows(IllegalArgumentException.class, () -> ConfigService.parse(null));
  }

  @Test
  void theHostAsksBeforeHostStartedAndStartsWhatItIsToldInTheBackground() throws Exception {
    Path wasm = Files.write(dir.resolve("echo.wasm"), Fixtures.dist("echo"));
    respond(
        req ->
            raw(
                "{\"autoStartActors\":[\""
                    + wasm.toUri()
                    + "\", \"file:///no/such/actor.wasm\"],"
                    + "\"autoStartProviders\":[{\"imageReference\":\"file:///no/such.par.gz\"}]}"));
    try (Host host =
        TestHosts.start(
            nats,
            KeyPair.generate(KeyType.CLUSTER),
            dir,
            Map.of(
                "WASMCLOUD_CONFIG_SERVICE", "true",
                "WASMCLOUD_ALLOW_FILE_LOAD", "true",
                "HOST_zone", "eu"))) {
      JsonNode labels = requests.getFirst().get("labels");
      assertEquals("eu", labels.get("zone").asText());
      assertEquals(host.labels().get("hostcore.os"), labels.get("hostcore.os").asText());
      String echo = ModuleClaims.verify(Fixtures.dist("echo"), Instant.now()).publicKey();
      Awaitility.await("the auto-started actor")
          .atMost(Duration.ofSeconds(20))
          .until(() -> host.actors().running().containsKey(echo));
      Awaitility.await("the missing one reported")
          .atMost(Duration.ofSeconds(20))
          .until(() -> seen.contains("actors_start_failed") || seen.contains("actor_start_failed"));
      assertTrue(
          seen.indexOf("config-request") < seen.indexOf("host_started"),
          "asked before host_started: " + seen);
      assertTrue(seen.indexOf("host_started") < seen.indexOf("actors_started"), seen.toString());
      assertTrue(
          host.providers().runningKey("file:///no/such.par.gz", "").isEmpty(),
          "the provider entry without a linkName was skipped");
    }
  }

  @Test
  void withNoConfigServiceOrAGarbledOneTheHostStartsAnyway() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    Map<String, String> on = Map.of("WASMCLOUD_CONFIG_SERVICE", "true");
    try (Host host = TestHosts.start(nats, cluster, dir, on)) {
      host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      assertEquals(1, host.actors().running().size());
    }
    respond(req -> raw("[\"not\", \"an\", \"object\"]"));
    try (Host host = TestHosts.start(nats, cluster, dir, on)) {
      assertEquals(1, requests.size(), "asked once");
      assertTrue(host.actors().running().isEmpty());
    }
  }
}
