package io.trellis.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.KeyValue;
import io.trellis.wasmbus.interfaces.Messaging;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.msgpack.MsgPackValues;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The sample policy actor (actors-samples/policy) on its own: requests as the messaging provider
 * delivers them, its configuration and its answers captured at the host-call boundary.
 */
class PolicyActorTest {
  static final String ALLOWED = "ACOJJN6WUP4ODD75XEBKKTCCUJJCY5ZKQ56XVKYK4BBJWGVAOOQHZMCW";
  static final String OTHER = "AAGRUXXTGSP4C27RWPTMCHCJF56JD53EQPA2R7RPO5CCX2C4XVWJEHKB";
  static final RecordingRouter ROUTER = new RecordingRouter(c -> HostCallResult.err("unanswered"));
  static final ActorRuntime RT = new ActorRuntime(RuntimeOptions.defaults(), ROUTER);
  static final Actor POLICY = RT.start(RT.load(Fixtures.dist("policy")), 1, Map.of());

  @AfterAll
  static void close() {
    RT.close();
  }

  /** The keyvalue provider holds {@code allowed}; publishes succeed. */
  static void configure(String allowed, boolean exists) {
    ROUTER.answer(
        c -> {
          if (c.namespace().equals(Contracts.KEY_VALUE)) {
            assertEquals(KeyValue.GET, c.operation());
            assertEquals("allowed_issuers", MsgPackValues.string(c.payload(), "key"));
            return HostCallResult.ok(new KeyValue.GetResponse(allowed, exists).toMsgPack());
          }
          return HostCallResult.ok(new byte[0]);
        });
  }

  static String request(String action, String sourceIssuer, String targetIssuer) {
    return "{\"requestId\":\"r-1\",\"action\":\""
        + action
        + "\",\"source\":{\"publicKey\":\"VSRC\",\"issuer\":\""
        + sourceIssuer
        + "\",\"capabilities\":[]},\"target\":{\"publicKey\":\"MTGT\",\"issuer\":\""
        + targetIssuer
        + "\",\"contractId\":null,\"linkName\":null},\"host\":{\"publicKey\":\"N\",\"labels\":{}}}";
  }

  /** Sends a request and returns the decision the actor published to the reply subject. */
  static JsonNode ask(String body) throws Exception {
    int before = ROUTER.calls.size();
    InvocationResult r =
        POLICY.invoke(
            Messaging.HANDLE_MESSAGE,
            new Messaging.Message(
                    "wasmcloud.policy", "_INBOX.p1", body.getBytes(StandardCharsets.UTF_8))
                .toMsgPack());
    assertInstanceOf(InvocationResult.Success.class, r, r.toString());
    HostCall publish = ROUTER.calls.getLast();
    assertTrue(ROUTER.calls.size() > before);
    assertEquals(Contracts.MESSAGING, publish.namespace());
    assertEquals(Messaging.PUBLISH, publish.operation());
    Messaging.Message m = Messaging.Message.fromMsgPack(publish.payload());
    assertEquals("_INBOX.p1", m.subject());
    return Json.MAPPER.readTree(m.body());
  }

  @Test
  void startsArePermittedOnlyForTheConfiguredIssuers() throws Exception {
    configure(OTHER + ", " + ALLOWED, true);
    JsonNode ok = ask(request("start_actor", "", ALLOWED));
    assertEquals("r-1", ok.get("requestId").asText());
    assertTrue(ok.get("permitted").asBoolean(), ok.toString());

    JsonNode provider = ask(request("start_provider", ALLOWED, "AXYZ"));
    assertFalse(provider.get("permitted").asBoolean(), provider.toString());
    assertEquals(
        "target MTGT is signed by issuer 'AXYZ', which is not among the allowed issuers",
        provider.get("message").asText());
  }

  @Test
  void invocationsAreJudgedByTheCallersIssuer() throws Exception {
    configure(ALLOWED, true);
    assertTrue(ask(request("perform_invocation", ALLOWED, "AXYZ")).get("permitted").asBoolean());
    JsonNode unknown = ask(request("perform_invocation", "", ALLOWED));
    assertFalse(unknown.get("permitted").asBoolean());
    assertTrue(unknown.get("message").asText().contains("issuer ''"), unknown.toString());
  }

  @Test
  void anythingItCannotJudgeIsDenied() throws Exception {
    configure(ALLOWED, true);
    JsonNode action = ask(request("delete_everything", ALLOWED, ALLOWED));
    assertFalse(action.get("permitted").asBoolean());
    assertEquals("unknown action 'delete_everything'", action.get("message").asText());

    JsonNode garbage = ask("{not json");
    assertFalse(garbage.get("permitted").asBoolean());
    assertTrue(
        garbage.get("message").asText().startsWith("unreadable policy request: "),
        garbage.toString());

    configure("", false);
    JsonNode unconfigured = ask(request("start_actor", "", ALLOWED));
    assertFalse(unconfigured.get("permitted").asBoolean());
    assertEquals(
        "no allowed issuers configured (set 'allowed_issuers' in the policy key-value bucket)",
        unconfigured.get("message").asText());

    ROUTER.answer(
        c ->
            c.namespace().equals(Contracts.KEY_VALUE)
                ? HostCallResult.err("no responders")
                : HostCallResult.ok(new byte[0]));
    JsonNode storeDown = ask(request("start_actor", "", ALLOWED));
    assertFalse(storeDown.get("permitted").asBoolean());
    assertEquals(
        "cannot read the policy configuration: no responders", storeDown.get("message").asText());
  }

  @Test
  void aMessageWithoutAReplySubjectIsIgnored() {
    configure(ALLOWED, true);
    int before = ROUTER.calls.size();
    POLICY.invoke(
        Messaging.HANDLE_MESSAGE,
        new Messaging.Message("wasmcloud.policy", null, "{}".getBytes(StandardCharsets.UTF_8))
            .toMsgPack());
    assertEquals(before, ROUTER.calls.size(), "no question, no answer and no lookup");
  }
}
