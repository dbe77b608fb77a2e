package io.trellis.ctl;

import static io.trellis.host.policy.PolicyResponder.decision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.host.policy.PolicyResponder;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a control-interface user sees when a host's policy server (PROTOCOL.md §10.4) says no: the
 * start command is accepted and the wait ends with the host's reason; a permitted one starts.
 */
class PolicyCtlTest {
  static final String TOPIC = "wasmcloud.policy.evaluator";
  @TempDir Path dir;

  @Test
  void deniedStartsReachTheCallerWithTheServersReason() throws Exception {
    KeyPair trusted = KeyPair.generate(KeyType.ACCOUNT);
    try (CtlLattice lattice =
            new CtlLattice(
                dir,
                List.of(
                    Map.of("WASMCLOUD_POLICY_TOPIC", TOPIC, "WASMCLOUD_POLICY_TIMEOUT", "2000")));
        PolicyResponder policy =
            new PolicyResponder(
                lattice.raw,
                TOPIC,
                req -> {
                  JsonNode target = req.get("target");
                  boolean ok = target.get("issuer").asText().equals(trusted.publicKey());
                  return decision(
                      req, ok, ok ? "trusted issuer" : "issuer is not " + trusted.publicKey());
                })) {
      CtlClient c = lattice.client;
      String hostId = lattice.host(0).id();

      String stranger = CtlLattice.signedEcho(dir, "stranger").toUri().toString();
      StartFailedException actor =
          assertThrows(
              StartFailedException.class,
              () -> c.startActorAndWait(hostId, stranger, 1, Map.of(), Duration.ofSeconds(30)));
      assertTrue(
          actor.error().startsWith("Policy denied starting actor, request: ")
              && actor.error().endsWith("(issuer is not " + trusted.publicKey() + ")"),
          actor.error());

      String friend =
          CtlLattice.signedEcho(dir, "friend", trusted, KeyPair.generate(KeyType.MODULE), 1)
              .toUri()
              .toString();
      ActorStarted started =
          c.startActorAndWait(hostId, friend, 1, Map.of(), Duration.ofSeconds(30));
      assertEquals(friend, started.imageRef());

      Path par = ProviderLifecycleTest.PAR;
      assertTrue(Files.isRegularFile(par), "build capability-providers first: " + par);
      StartFailedException provider =
          assertThrows(
              StartFailedException.class,
              () ->
                  c.startProviderAndWait(
                      hostId, par.toUri().toString(), "kv", "", Map.of(), Duration.ofSeconds(60)));
      assertTrue(
          provider.error().startsWith("Starting provider V")
              && provider.error().contains(" denied: issuer is not " + trusted.publicKey())
              && provider.error().contains("(policy request "),
          provider.error());
      JsonNode asked =
          policy.requests.stream()
              .filter(r -> r.get("action").asText().equals("start_provider"))
              .findFirst()
              .orElseThrow();
      assertEquals("wasmcloud:keyvalue", asked.get("target").get("contractId").asText());
      assertEquals("kv", asked.get("target").get("linkName").asText());
      assertTrue(c.inventory(hostId).providers().isEmpty(), "no provider process was spawned");
    }
  }
}
