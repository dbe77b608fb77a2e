package io.trellis.host.policy;

import static io.trellis.host.policy.PolicyResponder.decision;
import static io.trellis.host.policy.PolicyResponder.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.trellis.host.config.HostConfig;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The policy client against a plain responder on a real nats-server (PROTOCOL.md §10.4): OTP's
 * request shape, caching, the changes topic, and every way an answer can fail, each denying.
 */
class PolicyServiceTest {
  static final String ACTOR = "MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5";
  static final String PROVIDER = "VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M";
  static final String ISSUER = "ACOJJN6WUP4ODD75XEBKKTCCUJJCY5ZKQ56XVKYK4BBJWGVAOOQHZMCW";
  static NatsServer nats;
  static Connection hostConn;
  static Connection serverConn;
  String topic;
  String changes;
  PolicyResponder responder;
  PolicyService policy;
  SimpleMeterRegistry registry;
  final AtomicLong now = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  final AtomicReference<PolicySource> known = new AtomicReference<>();

  /** A clock the test moves. */
  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }
      };

  @BeforeAll
  static void startNats() {
    nats = NatsServer.start();
    hostConn = nats.connect();
    serverConn = nats.connect();
  }

  @AfterAll
  static void stopNats() throws Exception {
    hostConn.close();
    serverConn.close();
    nats.close();
  }

  @BeforeEach
  void setUp() {
    topic = "policy." + UUID.randomUUID();
    changes = topic + ".changes";
    responder = new PolicyResponder(serverConn, topic, req -> decision(req, true, "ok"));
    policy = service(100, Duration.ofMinutes(5));
  }

  PolicyService service(long max, Duration ttl) {
    registry = new SimpleMeterRegistry();
    return PolicyService.of(
        hostConn,
        new HostConfig.Policy(topic, changes, Duration.ofMillis(1500), max, ttl),
        new PolicyHost(
            "NHOST", "CCLUSTER", "lattice-1", () -> Map.of("zone", "eu"), List.of("CCLUSTER")),
        origin -> known.get(),
        clock,
        registry);
  }

  @AfterEach
  void tearDown() {
    policy.close();
    responder.close();
  }

  static Invocation invocation(WasmCloudEntity origin, String target) {
    return new Invocation(
        origin,
        WasmCloudEntity.actor(target),
        "HttpServer.HandleRequest",
        new byte[0],
        UUID.randomUUID().toString(),
        "",
        "NHOST",
        null,
        Map.of());
  }

  static final WasmCloudEntity HTTP =
      WasmCloudEntity.provider(PROVIDER, "wasmcloud:httpserver", "default");

  double count(String action, String outcome, boolean cached) {
    return registry
        .get("trellis.policy.decisions")
        .tag("action", action)
        .tag("outcome", outcome)
        .tag("cached", Boolean.toString(cached))
        .counter()
        .count();
  }

  @Test
  void aStartIsAskedWithOtpsRequestAndTheAnswerIsCached() {
    PolicyDecision d =
        policy.evaluateStart(PolicyAction.START_ACTOR, PolicyTarget.actor(ACTOR, ISSUER));
    assertTrue(d.permitted());
    assertEquals("ok", d.message());
    assertEquals(1, responder.requests.size());
    JsonNode req = responder.requests.getFirst();
    assertEquals(d.requestId(), req.get("requestId").asText());
    assertEquals("start_actor", req.get("action").asText());
    // OTP's placeholder source: empty strings, expiring a minute from now, not expired
    JsonNode s = req.get("source");
    assertEquals("", s.get("publicKey").asText());
    assertEquals("", s.get("contractId").asText());
    assertEquals("", s.get("linkName").asText());
    assertEquals(0, s.get("capabilities").size());
    assertEquals("", s.get("issuer").asText());
    assertEquals("", s.get("issuedOn").asText());
    assertEquals(now.get() / 1000 + 60, s.get("expiresAt").asLong());
    assertFalse(s.get("expired").asBoolean());
    JsonNode t = req.get("target");
    assertEquals(ACTOR, t.get("publicKey").asText());
    assertEquals(ISSUER, t.get("issuer").asText());
    assertTrue(t.get("contractId").isNull() && t.get("linkName").isNull(), t.toString());
    JsonNode h = req.get("host");
    assertEquals("NHOST", h.get("publicKey").asText());
    assertEquals("CCLUSTER", h.get("issuer").asText());
    assertEquals("lattice-1", h.get("latticeId").asText());
    assertEquals("eu", h.get("labels").get("zone").asText());
    assertEquals("CCLUSTER", h.get("clusterIssuers").get(0).asText());

    PolicyDecision again =
        policy.evaluateStart(PolicyAction.START_ACTOR, PolicyTarget.actor(ACTOR, ISSUER));
    assertEquals(d, again);
    assertEquals(1, responder.requests.size(), "the second start was answered from the cache");
    assertEquals(1, count("start_actor", "permitted", false));
    assertEquals(1, count("start_actor", "permitted", true));

    // a provider start is its own question: link and contract are part of it
    policy.evaluateStart(
        PolicyAction.START_PROVIDER,
        PolicyTarget.provider(PROVIDER, ISSUER, "wasmcloud:keyvalue", "kv"));
    JsonNode p = responder.requests.getLast();
    assertEquals("start_provider", p.get("action").asText());
    assertEquals("wasmcloud:keyvalue", p.get("target").get("contractId").asText());
    assertEquals("kv", p.get("target").get("linkName").asText());
  }

  @Test
  void anInvocationCarriesTheCallersClaimsAndADenialIsOtpsText() {
    known.set(
        new PolicySource(
            PROVIDER,
            "wasmcloud:httpserver",
            "default",
            List.of(),
            ISSUER,
            1_700_000_000L,
            now.get() / 1000 + 3600));
    responder.answer(req -> decision(req, false, "not on weekends"));
    String denied = policy.invocationDenial(invocation(HTTP, ACTOR), "AISSUER");
    assertEquals("Policy evaluation rejected invocation attempt: not on weekends", denied);
    JsonNode req = responder.requests.getFirst();
    assertEquals("perform_invocation", req.get("action").asText());
    JsonNode s = req.get("source");
    assertEquals(PROVIDER, s.get("publicKey").asText());
    assertEquals("wasmcloud:httpserver", s.get("contractId").asText());
    assertEquals("default", s.get("linkName").asText());
    assertEquals(ISSUER, s.get("issuer").asText());
    assertEquals("1700000000", s.get("issuedOn").asText());
    assertEquals(now.get() / 1000 + 3600, s.get("expiresAt").asLong());
    assertFalse(s.get("expired").asBoolean());
    JsonNode t = req.get("target");
    assertEquals(ACTOR, t.get("publicKey").asText());
    assertEquals("AISSUER", t.get("issuer").asText());
    assertEquals("", t.get("contractId").asText());

    // cached, denial included: the server is not asked again
    assertEquals(denied, policy.invocationDenial(invocation(HTTP, ACTOR), "AISSUER"));
    assertEquals(1, responder.requests.size());
    assertEquals(1, count("perform_invocation", "denied", true));

    // an unknown caller is asked about with what is known: its key, nothing else
    known.set(null);
    responder.answer(r -> decision(r, true, ""));
    WasmCloudEntity tool = new WasmCloudEntity("trellis-cli", "", "");
    assertNull(policy.invocationDenial(invocation(tool, ACTOR), "AISSUER"));
    JsonNode unknown = responder.requests.getLast().get("source");
    assertEquals("trellis-cli", unknown.get("publicKey").asText());
    assertEquals("", unknown.get("issuer").asText());
    assertTrue(unknown.get("expiresAt").isNull(), unknown.toString());
  }

  @Test
  void expiredCallerClaimsAreDeniedWithoutAsking() {
    known.set(
        new PolicySource(
            ACTOR, "", "", List.of("wasmcloud:httpserver"), ISSUER, 1L, now.get() / 1000 - 1));
    String denied =
        policy.invocationDenial(invocation(WasmCloudEntity.actor(ACTOR), "MTARGET"), "AISSUER");
    assertTrue(
        denied.startsWith("Policy evaluation rejected invocation attempt: the caller's claims"),
        denied);
    assertTrue(denied.contains("expired at"), denied);
    assertTrue(responder.requests.isEmpty(), "the server was not asked");
    assertEquals(1, count("perform_invocation", "expired", false));

    // a permit cached while the claims were valid stops counting once they expire
    WasmCloudEntity caller = WasmCloudEntity.actor("MCALLER");
    known.set(new PolicySource("MCALLER", "", "", List.of(), ISSUER, 1L, now.get() / 1000 + 10));
    assertNull(policy.invocationDenial(invocation(caller, "MTARGET"), "AISSUER"));
    now.addAndGet(11_000);
    String later = policy.invocationDenial(invocation(caller, "MTARGET"), "AISSUER");
    assertTrue(later.contains("expired at"), later);
    assertEquals(1, responder.requests.size());
  }

  @Test
  void everyKindOfFailureDeniesWithItsOwnMessageAndIsNotCached() {
    PolicyTarget target = PolicyTarget.actor(ACTOR, ISSUER);
    Map<String, Function<JsonNode, byte[]>> replies = new LinkedHashMap<>();
    replies.put("not JSON", req -> raw("{permitted: yes"));
    replies.put("not a JSON object", req -> raw("[true]"));
    replies.put("the body is empty", req -> new byte[0]);
    replies.put(
        "'permitted' must be true or false, got nothing", req -> raw("{\"requestId\":\"x\"}"));
    replies.put(
        "'permitted' must be true or false, got \"yes\"",
        req ->
            raw("{\"requestId\":\"" + req.get("requestId").asText() + "\",\"permitted\":\"yes\"}"));
    replies.put(
        "it answers request 'someone-else'",
        req -> raw("{\"requestId\":\"someone-else\",\"permitted\":true}"));
    for (var e : replies.entrySet()) {
      responder.answer(e.getValue());
      PolicyDecision d = policy.evaluateStart(PolicyAction.START_ACTOR, target);
      assertFalse(d.permitted(), e.getKey());
      assertTrue(
          d.message().startsWith("Policy response failed to decode: ")
              && d.message().contains(e.getKey()),
          e.getKey() + " -> " + d.message());
    }
    assertEquals(replies.size(), count("start_actor", "bad_reply", false));

    responder.answer(req -> null);
    PolicyDecision silent = policy.evaluateStart(PolicyAction.START_ACTOR, target);
    assertFalse(silent.permitted());
    assertEquals(
        "Policy request timed out: no reply on " + topic + " within 1500 ms", silent.message());
    assertEquals(1, count("start_actor", "timeout", false));

    responder.close();
    PolicyDecision nobody = policy.evaluateStart(PolicyAction.START_ACTOR, target);
    assertFalse(nobody.permitted());
    assertEquals(
        "No responders to policy request (policy server not listening?) on " + topic,
        nobody.message());
    assertEquals(1, count("start_actor", "no_responders", false));

    // none of those was cached: a server that answers again is asked again
    responder = new PolicyResponder(serverConn, topic, req -> decision(req, true, "back"));
    assertTrue(policy.evaluateStart(PolicyAction.START_ACTOR, target).permitted());
    assertEquals(1, responder.requests.size());
  }

  @Test
  void theChangesTopicReplacesACachedDecisionAndIsAnswered() throws Exception {
    PolicyTarget target = PolicyTarget.actor(ACTOR, ISSUER);
    PolicyDecision first = policy.evaluateStart(PolicyAction.START_ACTOR, target);
    assertTrue(first.permitted());

    JsonNode ok =
        change(
            "{\"requestId\":\""
                + first.requestId()
                + "\",\"permitted\":false,\"message\":\"revoked\"}");
    assertEquals(true, ok.get("success").asBoolean(), ok.toString());
    PolicyDecision changed = policy.evaluateStart(PolicyAction.START_ACTOR, target);
    assertFalse(changed.permitted());
    assertEquals("revoked", changed.message());
    assertEquals(1, responder.requests.size(), "replaced in the cache, not asked again");

    JsonNode unknown = change("{\"requestId\":\"nope\",\"permitted\":true}");
    assertEquals(false, unknown.get("success").asBoolean());
    assertTrue(unknown.get("error").asText().contains("no cached decision for request nope"));
    for (String bad : List.of("garbage", "[]", "{\"permitted\":true}", "{\"requestId\":\"x\"}")) {
      JsonNode r = change(bad);
      assertEquals(false, r.get("success").asBoolean(), bad);
      assertTrue(r.get("error").asText().startsWith("unreadable policy change: "), r.toString());
    }
  }

  JsonNode change(String body) throws Exception {
    Message m = serverConn.request(changes, raw(body), Duration.ofSeconds(5));
    assertTrue(m != null, "the host answers policy changes");
    return Json.MAPPER.readTree(m.getData());
  }

  @Test
  void decisionsExpireAfterTheTimeToLiveAndTheCacheIsBounded() {
    policy.close();
    // a time to live far above the gap between two back-to-back calls on a loaded machine (1 s
    // was not), yet short enough to wait for
    policy = service(2, Duration.ofSeconds(4));
    PolicyTarget target = PolicyTarget.actor(ACTOR, ISSUER);
    policy.evaluateStart(PolicyAction.START_ACTOR, target);
    policy.evaluateStart(PolicyAction.START_ACTOR, target);
    assertEquals(1, responder.requests.size());
    Awaitility.await("the decision expires after its time to live")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              policy.evaluateStart(PolicyAction.START_ACTOR, target);
              return responder.requests.size() > 1;
            });

    for (int i = 0; i < 50; i++) {
      policy.evaluateStart(PolicyAction.START_ACTOR, PolicyTarget.actor("M" + i, ISSUER));
    }
    Awaitility.await("the cache stays within its bound")
        .atMost(Duration.ofSeconds(10))
        .until(() -> policy.cachedDecisions() <= 2);
  }

  @Test
  void withoutATopicEverythingIsPermittedAndNothingIsAsked() {
    PolicyService off =
        PolicyService.of(
            hostConn,
            new HostConfig.Policy(null, null, Duration.ofSeconds(1), 10, Duration.ofMinutes(1)),
            new PolicyHost("N", "C", "l", Map::of, List.of()),
            o -> null,
            clock,
            new SimpleMeterRegistry());
    assertFalse(off.enabled());
    assertTrue(
        off.evaluateStart(PolicyAction.START_ACTOR, PolicyTarget.actor(ACTOR, ISSUER)).permitted());
    assertNull(off.invocationDenial(invocation(HTTP, ACTOR), ISSUER));
    assertTrue(responder.requests.isEmpty());
  }
}
