package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.host.Host;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad control messages, sent as raw bytes with plain NATS requests: each gets {@code accepted:
 * false} with an error that names the problem, and the host keeps answering. What the OTP host
 * accepts and real tools send (unknown fields, a count of 0, partly valid credentials, stops and
 * deletes of absent things) is accepted (docs/DECISIONS.md).
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
                "dropped invalid registry credentials: 'r.example.com': registryType must be oci or"
                    + " bindle, got 'docker'"),
            exact(
                "registries.put",
                "{\"r.example.com\":{\"registryType\":\"oci\",\"password\":5}}",
                "dropped invalid registry credentials: 'r.example.com': 'password' must be a string,"
                    + " got 5"),
            exact(
                "registries.put",
                "[]",
                "invalid registries put: the body is not a JSON object, got array (an object of"
                    + " registry credentials)"));
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
  void unknownFieldsAreIgnoredAndACountOfZeroStartsOneInstance() throws Exception {
    Host host = lattice.host(0);
    String cmd = prefix + "cmd." + host.id() + ".";
    String ref = CtlLattice.signedEcho(dir, "echo-lenient").toUri().toString();
    JsonNode ack =
        lattice.rawRequest(
            cmd + "la",
            "{\"actor_ref\":\"" + ref + "\",\"count\":0,\"from_a_newer_client\":{\"x\":1}}");
    assertEquals(true, ack.path("accepted").asBoolean(), ack.toString());
    assertEquals("", ack.path("error").asText(), ack.toString());
    Awaitility.await("one instance of the echo started with count 0")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                host.actors().running().values().stream()
                    .anyMatch(r -> r.imageRef().equals(ref) && r.actor().instanceCount() == 1));
    // wrong types are still refused, unknown fields or not
    JsonNode wrong =
        lattice.rawRequest(cmd + "la", "{\"actor_ref\":\"" + ref + "\",\"count\":\"1\",\"x\":1}");
    assertEquals(false, wrong.path("accepted").asBoolean(true), wrong.toString());
    assertEquals(
        "invalid start actor command: 'count' must be an integer, got \"1\"",
        wrong.path("error").asText());
  }

  @Test
  void registriesPutKeepsTheValidEntriesIncludingUsernameOnlyAndNamesTheDroppedOnes()
      throws Exception {
    JsonNode ack =
        lattice.rawRequest(
            prefix + "registries.put",
            "{\"good.example\":{\"registryType\":\"oci\",\"username\":\"u\",\"password\":\"p\"},"
                + "\"user-only.example\":{\"registryType\":\"oci\",\"username\":\"u\"},"
                + "\"docker.example\":{\"registryType\":\"docker\",\"token\":\"t\"},"
                + "\"empty.example\":{\"registryType\":\"oci\"},"
                + "\"odd.example\":5}");
    assertEquals(true, ack.path("accepted").asBoolean(), ack.toString());
    assertEquals(
        "dropped invalid registry credentials: 'docker.example': registryType must be oci or"
            + " bindle, got 'docker'; 'empty.example': needs a username, a password or a token;"
            + " 'odd.example': not an object",
        ack.path("error").asText());
    assertTrue(
        !ack.path("error").asText().contains("good.example")
            && !ack.path("error").asText().contains("user-only.example"),
        ack.toString());
  }

  @Test
  void stoppingOrDeletingWhatIsAbsentIsAcceptedWithANote() throws Exception {
    Host host = lattice.host(0);
    String cmd = prefix + "cmd." + host.id() + ".";
    String provider = KeyPair.generate(KeyType.SERVICE).publicKey();
    JsonNode sa = lattice.rawRequest(cmd + "sa", "{\"actor_ref\":\"" + ACTOR + "\",\"count\":0}");
    assertEquals(true, sa.path("accepted").asBoolean(), sa.toString());
    assertEquals(
        "nothing to stop: actor " + ACTOR + " is not running on host " + host.id(),
        sa.path("error").asText());
    JsonNode sp =
        lattice.rawRequest(
            cmd + "sp", "{\"provider_ref\":\"" + provider + "\",\"link_name\":\"default\"}");
    assertEquals(true, sp.path("accepted").asBoolean(), sp.toString());
    assertEquals(
        "nothing to stop: provider "
            + provider
            + " with link name 'default' is not running on host "
            + host.id(),
        sp.path("error").asText());
    JsonNode del =
        lattice.rawRequest(
            prefix + "linkdefs.del",
            "{\"actor_id\":\""
                + ACTOR
                + "\",\"contract_id\":\"wasmcloud:keyvalue\",\"link_name\":\"absent\"}");
    assertEquals(true, del.path("accepted").asBoolean(), del.toString());
    assertEquals(
        "nothing to delete: no link from actor "
            + ACTOR
            + " for wasmcloud:keyvalue with link name 'absent'",
        del.path("error").asText());
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
