package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad control messages, sent as raw bytes with plain NATS requests: each gets {@code accepted:
 * false} with an error that names the problem, and the host keeps answering.
 */
class BadInputTest {
  @TempDir static Path dir;
  static CtlLattice lattice;
  static String prefix;
  static final String ACTOR = KeyPair.generate(KeyType.MODULE).publicKey();

  /** {@code exact == false}: the error must start with {@code error} (Jackson's detail follows). */
  record Case(String suffix, String body, String error, boolean exact) {}

  static Case exact(String suffix, String body, String error) {
    return new Case(suffix, body, error, true);
  }

  @BeforeAll
  static void up() {
    lattice = new CtlLattice(dir, List.of(Map.of()));
    prefix = "wasmbus.ctl.default.";
  }

  @AfterAll
  static void down() {
    lattice.close();
  }

  @Test
  void badCommandsAreRefusedWithTheReasonAndTheHostStaysUp() throws Exception {
    String cmd = "cmd." + lattice.host(0).id() + ".";
    String missing = dir.resolve("missing.wasm").toAbsolutePath().toString();
    List<Case> cases =
        List.of(
            new Case(
                cmd + "la", "{not json", "invalid start actor command: malformed JSON: ", false),
            exact(
                cmd + "la", "[]", "invalid start actor command: expected a JSON object, got array"),
            exact(
                cmd + "la",
                "",
                "invalid start actor command: expected a JSON object, got an empty body"),
            exact(
                cmd + "la",
                "{\"actor_ref\":\"x.wasm\",\"bogus\":1}",
                "invalid start actor command: unknown field(s) "
                    + "[bogus] (allowed: [actor_ref, annotations, count, host_id])"),
            exact(
                cmd + "la",
                "{\"count\":1}",
                "invalid start actor command: 'actor_ref' is required"),
            exact(
                cmd + "la",
                "{\"actor_ref\":42}",
                "invalid start actor command: 'actor_ref' must be a string, got 42"),
            exact(
                cmd + "la",
                "{\"actor_ref\":\"x.wasm\",\"count\":\"2\"}",
                "invalid start actor command: 'count' must be an integer, got \"2\""),
            exact(
                cmd + "la",
                "{\"actor_ref\":\"x.wasm\",\"annotations\":{\"a\":1}}",
                "invalid start actor command: 'annotations.a' must be a string, got 1"),
            exact(
                cmd + "la",
                "{\"actor_ref\":\"file://" + missing + "\"}",
                "no such file: " + missing + " (from reference 'file://" + missing + "')"),
            exact(
                cmd + "sa",
                "{\"actor_ref\":\"NABC\",\"count\":1}",
                "invalid stop actor command: 'actor_ref' must be an "
                    + "actor public key (M..., 56 characters), got 'NABC'"),
            exact(
                cmd + "sa",
                "{\"actor_ref\":\"" + ACTOR + "\"}",
                "invalid stop actor command: 'count' is required"),
            exact(
                cmd + "scale",
                "{\"actor_id\":\"" + ACTOR + "\",\"count\":-1}",
                "invalid scale actor command: 'count' must be between 0 and 10000, got -1"),
            exact(
                cmd + "upd",
                "{\"actor_id\":\"" + ACTOR + "\"}",
                "invalid update actor command: 'new_actor_ref' is required"),
            exact(
                cmd + "lp",
                "{\"link_name\":\"default\"}",
                "invalid start provider command: 'provider_ref' is required"),
            exact(
                cmd + "sp",
                "{\"provider_ref\":\"" + ACTOR + "\",\"link_name\":\"default\"}",
                "invalid stop provider "
                    + "command: 'provider_ref' must be a provider public key (V..., 56 characters), got '"
                    + ACTOR
                    + "'"),
            exact(
                cmd + "label.put",
                "{\"key\":\"zone\"}",
                "invalid label put command: 'value' is required"),
            exact(
                cmd + "explode",
                "{}",
                "unknown command 'explode' (known: la, sa, scale, upd, lp, sp, stop, label.put, "
                    + "label.del)"),
            exact(
                "linkdefs.put",
                "{\"actor_id\":\""
                    + ACTOR
                    + "\",\"provider_id\":\""
                    + ACTOR
                    + "\",\"contract_id\":"
                    + "\"wasmcloud:keyvalue\",\"link_name\":\"default\"}",
                "invalid link definition put request: link "
                    + "provider_id '"
                    + ACTOR
                    + "' is not a provider public key (V..., 56 characters)"),
            exact(
                "linkdefs.del",
                "{\"actor_id\":\"" + ACTOR + "\"}",
                "invalid link definition removal request: 'contract_id' is required"),
            exact(
                "registries.put",
                "{\"r.example.com\":{\"registryType\":\"docker\",\"token\":\"t\"}}",
                "invalid credentials for registry 'r.example.com': registryType must be oci or bindle, got 'docker'"));
    List<String> wrong = new ArrayList<>();
    for (Case c : cases) {
      JsonNode ack = lattice.rawRequest(prefix + c.suffix(), c.body());
      String got = ack.path("error").asText();
      boolean ok =
          !ack.path("accepted").asBoolean(true)
              && (c.exact() ? got.equals(c.error()) : got.startsWith(c.error()));
      if (!ok) {
        wrong.add(
            c.suffix()
                + " "
                + c.body()
                + "\n    expected: "
                + c.error()
                + "\n    got:      "
                + ack);
      }
    }
    assertEquals("", String.join("\n", wrong));
    assertEquals(
        1, lattice.client.pingHosts(Duration.ofMillis(300)).size(), "the host still answers");
  }

  @Test
  void washsLinkRemovalBodyIsAccepted() throws Exception {
    // control-interface-client's remove_link sends a whole LinkDefinition::default() with the
    // three fields filled in: provider_id is "" and values {}.
    String provider = KeyPair.generate(KeyType.SERVICE).publicKey();
    JsonNode put =
        lattice.rawRequest(
            prefix + "linkdefs.put",
            "{\"actor_id\":\""
                + ACTOR
                + "\",\"provider_id\":\""
                + provider
                + "\",\"contract_id\":\"wasmcloud:keyvalue\",\"link_name\":\"wash\",\"values\":{}}");
    assertTrue(put.path("accepted").asBoolean(), put.toString());
    JsonNode del =
        lattice.rawRequest(
            prefix + "linkdefs.del",
            "{\"actor_id\":\""
                + ACTOR
                + "\",\"provider_id\":\"\","
                + "\"link_name\":\"wash\",\"contract_id\":\"wasmcloud:keyvalue\",\"values\":{}}");
    assertTrue(del.path("accepted").asBoolean(), del.toString());
    assertTrue(lattice.client.links().stream().noneMatch(l -> l.linkName().equals("wash")));
  }

  @Test
  void anInventoryRequestWithABodyIsStillAnswered() throws Exception {
    JsonNode inv = lattice.rawRequest(prefix + "get." + lattice.host(0).id() + ".inv", "garbage");
    assertEquals(lattice.host(0).id(), inv.path("host_id").asText());
    JsonNode unknown = lattice.rawRequest(prefix + "get.nonsense", "");
    assertEquals(false, unknown.path("accepted").asBoolean(true));
    assertTrue(
        unknown.path("error").asText().startsWith("unknown query get.nonsense"),
        unknown.toString());
  }
}
