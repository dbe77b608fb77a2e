package io.trellis.host.policy;

import static io.trellis.host.policy.PolicyResponder.decision;
import static io.trellis.host.policy.PolicyResponder.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.trellis.host.FakeProvider;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.ActorLoadException;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host with {@code WASMCLOUD_POLICY_TOPIC} set, against a plain policy responder on a real
 * nats-server (PROTOCOL.md §10.4): actor starts (direct and over ctl), inbound invocations, the
 * changes topic, a silent, absent or garbled policy server, and the decision metrics.
 */
class PolicyHostTest {
  static final String TOPIC = "wasmcloud.policy";
  static final String CHANGES = "wasmcloud.policy.changes";
  @TempDir Path dir;
  final KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
  NatsServer nats;
  Connection client;
  PolicyResponder policy;
  Host host;
  final List<JsonNode> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    nats = NatsServer.start();
    client = nats.connect();
    policy = new PolicyResponder(client, TOPIC, req -> decision(req, true, "fine"));
    client
        .createDispatcher(
            m -> {
              try {
                events.add(Json.MAPPER.readTree(m.getData()));
              } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .subscribe("wasmbus.evt.default");
    client.flush(Duration.ofSeconds(2));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
    client.close();
    nats.close();
  }

  Host start(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.putIfAbsent("WASMCLOUD_POLICY_TOPIC", TOPIC);
    env.putIfAbsent("WASMCLOUD_POLICY_CHANGES_TOPIC", CHANGES);
    env.putIfAbsent("WASMCLOUD_POLICY_TIMEOUT", "500");
    host = TestHosts.start(nats, cluster, dir, env);
    return host;
  }

  List<JsonNode> requests(String action) {
    return policy.requests.stream().filter(r -> r.get("action").asText().equals(action)).toList();
  }

  JsonNode awaitEvent(String type) {
    return Awaitility.await(type + " event")
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> events.stream().filter(e -> e.get("type").asText().endsWith(type)).findFirst(),
            o -> o.isPresent())
        .orElseThrow();
  }

  double decisions(String action, String outcome, boolean cached) {
    var c =
        host.meterRegistry()
            .find("trellis.policy.decisions")
            .tag("action", action)
            .tag("outcome", outcome)
            .tag("cached", Boolean.toString(cached))
            .counter();
    return c == null ? -1 : c.count();
  }

  @Test
  void aDeniedActorStartFailsWithOtpsEventAndAChangeLetsItThrough() throws Exception {
    policy.answer(req -> decision(req, false, "issuer not allowed"));
    start(Map.of());
    byte[] echo = Fixtures.dist("echo");
    String echoKey = ModuleClaims.verify(echo, Instant.now()).publicKey();
    ActorLoadException e =
        assertThrows(
            ActorLoadException.class,
            () -> host.actors().start(echo, "file:///echo.wasm", 1, Map.of()));
    JsonNode req = requests("start_actor").getFirst();
    String id = req.get("requestId").asText();
    assertEquals(
        "Policy denied starting actor, request: " + id + " (issuer not allowed)", e.getMessage());
    assertEquals(echoKey, req.get("target").get("publicKey").asText());
    assertEquals(host.id(), req.get("host").get("publicKey").asText());
    assertEquals(cluster.publicKey(), req.get("host").get("issuer").asText());
    assertEquals("default", req.get("host").get("latticeId").asText());
    JsonNode failed = awaitEvent("actors_start_failed").get("data");
    assertEquals(e.getMessage(), failed.get("error").asText());
    assertEquals("file:///echo.wasm", failed.get("image_ref").asText());
    assertTrue(host.actors().running().isEmpty(), "no instance started");
    assertEquals(1, decisions("start_actor", "denied", false));

    // OTP caches denials too: the next start is refused without asking
    assertThrows(ActorLoadException.class, () -> host.actors().start(echo, "", 1, Map.of()));
    assertEquals(1, requests("start_actor").size());
    assertEquals(1, decisions("start_actor", "denied", true));

    // the policy server changes its mind on the changes topic; the host replaces its decision
    Message answer =
        client.request(
            CHANGES,
            raw("{\"requestId\":\"" + id + "\",\"permitted\":true,\"message\":\"allowed now\"}"),
            Duration.ofSeconds(5));
    assertEquals(
        true, Json.MAPPER.readTree(answer.getData()).get("success").asBoolean(), answer.toString());
    host.actors().start(echo, "", 1, Map.of());
    assertEquals(List.of(echoKey), List.copyOf(host.actors().running().keySet()));
    assertEquals(1, requests("start_actor").size(), "answered from the changed cache entry");
  }

  @Test
  void aDeniedStartOverCtlIsAcceptedAndThenReportedWithTheReason() throws Exception {
    policy.answer(req -> decision(req, false, "only the official issuer"));
    start(Map.of("WASMCLOUD_ALLOW_FILE_LOAD", "true"));
    Path wasm = dir.resolve("echo.wasm");
    Files.write(wasm, Fixtures.dist("echo"));
    String ref = wasm.toUri().toString();
    Message ack =
        client.request(
            "wasmbus.ctl.default.cmd." + host.id() + ".la",
            raw("{\"actor_ref\":\"" + ref + "\",\"count\":1}"),
            Duration.ofSeconds(10));
    // as the OTP host: the command is acknowledged, the outcome comes as an event
    assertTrue(Json.MAPPER.readTree(ack.getData()).get("accepted").asBoolean(), ack.toString());
    JsonNode failed = awaitEvent("actors_start_failed").get("data");
    assertEquals(ref, failed.get("image_ref").asText());
    assertTrue(
        failed.get("error").asText().startsWith("Policy denied starting actor, request: ")
            && failed.get("error").asText().endsWith("(only the official issuer)"),
        failed.toString());
    assertTrue(host.actors().running().isEmpty());
  }

  @Test
  void invocationsAreAskedOnceThenServedFromTheCacheAndDenialsReachTheCaller() throws Exception {
    start(Map.of());
    host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
    String echo = host.actors().running().keySet().iterator().next();
    String echoIssuer = ModuleClaims.verify(Fixtures.dist("echo"), Instant.now()).claims().issuer();
    FakeProvider allowed = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
    FakeProvider denied = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
    policy.answer(
        req ->
            decision(
                req,
                !req.get("source").get("publicKey").asText().equals(denied.publicKey()),
                "by key"));
    byte[] get = new HttpRequest("GET", "/", "", Map.of(), new byte[0]).toMsgPack();
    for (int i = 0; i < 20; i++) {
      InvocationResponse r = allowed.call(echo, HttpRequest.OPERATION, get);
      assertNull(r.error(), r.error());
    }
    List<JsonNode> asked = requests("perform_invocation");
    assertEquals(1, asked.size(), "one question for twenty invocations");
    JsonNode q = asked.getFirst();
    assertEquals(allowed.publicKey(), q.get("source").get("publicKey").asText());
    assertEquals(Contracts.HTTP_SERVER, q.get("source").get("contractId").asText());
    assertEquals("default", q.get("source").get("linkName").asText());
    assertEquals(echo, q.get("target").get("publicKey").asText());
    assertEquals(echoIssuer, q.get("target").get("issuer").asText());
    assertEquals(1, decisions("perform_invocation", "permitted", false));
    assertEquals(19, decisions("perform_invocation", "permitted", true));

    InvocationResponse r = denied.call(echo, HttpRequest.OPERATION, get);
    assertEquals("Policy evaluation rejected invocation attempt: by key", r.error());
    assertEquals(1, decisions("perform_invocation", "denied", false));
    assertNull(allowed.call(echo, HttpRequest.OPERATION, get).error(), "others still pass");
  }

  @Test
  void aSilentAbsentOrGarbledPolicyServerDeniesSayingWhich() throws Exception {
    start(Map.of());
    byte[] echo = Fixtures.dist("echo");

    policy.answer(req -> null);
    ActorLoadException silent =
        assertThrows(ActorLoadException.class, () -> host.actors().start(echo, "", 1, Map.of()));
    assertTrue(
        silent
            .getMessage()
            .endsWith("(Policy request timed out: no reply on " + TOPIC + " within 500 ms)"),
        silent.getMessage());
    assertEquals(1, decisions("start_actor", "timeout", false));

    policy.answer(req -> raw("{\"permitted\":\"maybe\"}"));
    ActorLoadException garbled =
        assertThrows(ActorLoadException.class, () -> host.actors().start(echo, "", 1, Map.of()));
    assertTrue(
        garbled.getMessage().contains("Policy response failed to decode: 'permitted' must be"),
        garbled.getMessage());

    // a server that answers properly is asked again: failures were not cached
    policy.answer(req -> decision(req, true, ""));
    host.actors().start(echo, "", 1, Map.of());
    String key = host.actors().running().keySet().iterator().next();
    FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
    byte[] get = new HttpRequest("GET", "/", "", Map.of(), new byte[0]).toMsgPack();

    policy.answer(req -> raw("not json"));
    assertTrue(
        http.call(key, HttpRequest.OPERATION, get)
            .error()
            .startsWith(
                "Policy evaluation rejected invocation attempt: Policy response failed to decode:"
                    + " not JSON"));

    policy.close();
    assertEquals(
        "Policy evaluation rejected invocation attempt: No responders to policy request (policy"
            + " server not listening?) on "
            + TOPIC,
        http.call(key, HttpRequest.OPERATION, get).error());
    assertEquals(1, decisions("perform_invocation", "no_responders", false));
    assertEquals(1, decisions("perform_invocation", "bad_reply", false));
    assertTrue(host.actors().running().containsKey(key), "the host keeps running");
  }

  @Test
  void withoutAPolicyTopicNothingIsAskedAndNothingIsCounted() throws Exception {
    host = TestHosts.start(nats, cluster, dir);
    host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
    String echo = host.actors().running().keySet().iterator().next();
    FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
    byte[] get = new HttpRequest("GET", "/", "", Map.of(), new byte[0]).toMsgPack();
    assertNull(http.call(echo, HttpRequest.OPERATION, get).error());
    assertTrue(policy.requests.isEmpty(), "the policy topic was never asked");
    assertEquals(-1, decisions("perform_invocation", "permitted", true), "no policy meters");
  }
}
