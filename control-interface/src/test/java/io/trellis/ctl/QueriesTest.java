package io.trellis.ctl;

import static io.trellis.ctl.CtlLattice.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.trellis.host.Host;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query (PROTOCOL.md §8.2) through the client, with the raw replies checked field by field.
 */
class QueriesTest {
  @TempDir static Path dir;
  static CtlLattice lattice;
  static ActorStarted echo;

  @BeforeAll
  static void up() {
    lattice =
        new CtlLattice(
            dir,
            List.of(
                Map.of("HOST_region", "eu", "TRELLIS_FRIENDLY_NAME", "alpha"),
                Map.of("HOST_region", "us", "TRELLIS_FRIENDLY_NAME", "beta")));
    echo =
        lattice.client.startActorAndWait(
            lattice.host(0).id(),
            CtlLattice.echoRef(),
            2,
            Map.of("team", "blue"),
            Duration.ofSeconds(20));
  }

  @AfterAll
  static void down() {
    lattice.close();
  }

  @Test
  void pingCollectsEveryHostWithTheSpecFields() throws Exception {
    List<HostInfo> hosts = lattice.client.pingHosts(Duration.ofMillis(500));
    assertEquals(
        Set.of(lattice.host(0).id(), lattice.host(1).id()),
        Set.copyOf(hosts.stream().map(HostInfo::id).toList()));
    HostInfo alpha =
        hosts.stream().filter(h -> h.friendlyName().equals("alpha")).findFirst().orElseThrow();
    assertEquals("eu", alpha.labels().get("region"));
    assertEquals(lattice.cluster.publicKey(), alpha.issuer());
    assertEquals("default", alpha.latticePrefix());

    List<JsonNode> raw =
        lattice.rawGather("wasmbus.ctl.default.ping.hosts", "", Duration.ofMillis(500));
    assertEquals(2, raw.size());
    for (JsonNode r : raw) {
      assertEquals(
          Set.of(
              "id",
              "issuer",
              "labels",
              "friendly_name",
              "uptime_seconds",
              "uptime_human",
              "version",
              "cluster_issuers",
              "js_domain",
              "ctl_host",
              "prov_rpc_host",
              "rpc_host",
              "lattice_prefix"),
          fields(r));
      assertTrue(
          r.get("cluster_issuers").isTextual(), "cluster_issuers is one comma-joined string");
      assertTrue(r.get("cluster_issuers").asText().contains(lattice.cluster.publicKey()));
      assertTrue(r.get("uptime_seconds").isIntegralNumber());
      assertTrue(r.get("js_domain").isNull());
      assertTrue(r.get("labels").isObject());
      assertTrue(r.get("labels").has("hostcore.os"));
    }
  }

  @Test
  void pingWithoutHostsReturnsEmptyAtOnce() {
    try (CtlClient empty =
        CtlClient.builder().url(lattice.nats.url()).latticePrefix("nobody-here").build()) {
      long t0 = System.nanoTime();
      assertTrue(empty.pingHosts(Duration.ofSeconds(5)).isEmpty());
      assertTrue(
          System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(),
          "no responders ends the gather instead of waiting the whole window");
    }
  }

  @Test
  void inventoryShowsRunningActorsInTheSpecShape() throws Exception {
    Host h = lattice.host(0);
    HostInventory inv = lattice.client.inventory(h.id());
    assertEquals(h.id(), inv.hostId());
    assertEquals("alpha", inv.friendlyName());
    assertEquals("eu", inv.labels().get("region"));
    HostInventory.Actor a =
        inv.actors().stream().filter(x -> x.id().equals(echo.actorId())).findFirst().orElseThrow();
    assertEquals("echo", a.name());
    assertEquals(CtlLattice.echoRef(), a.imageRef());
    assertEquals(2, a.instances().size());
    assertEquals("blue", a.instances().get(0).annotations().get("team"));

    JsonNode raw = lattice.rawRequest("wasmbus.ctl.default.get." + h.id() + ".inv", "");
    assertEquals(
        Set.of("host_id", "issuer", "labels", "friendly_name", "actors", "providers"), fields(raw));
    JsonNode actor = raw.get("actors").get(0);
    assertEquals(Set.of("id", "image_ref", "name", "instances"), fields(actor));
    assertEquals(
        Set.of("annotations", "instance_id", "revision"), fields(actor.get("instances").get(0)));
    assertTrue(actor.get("instances").get(0).get("revision").isIntegralNumber());
    assertTrue(raw.get("providers").isArray());
    assertEquals(lattice.cluster.publicKey(), raw.get("issuer").asText());
  }

  @Test
  void inventoryOfAHostNotInTheLatticeFailsFast() {
    String ghost = KeyPair.generate(KeyType.SERVER).publicKey();
    long t0 = System.nanoTime();
    NoRespondersException e =
        assertThrows(NoRespondersException.class, () -> lattice.client.inventory(ghost));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos());
    assertTrue(
        e.getMessage().startsWith("host " + ghost + " is not in lattice 'default'"),
        e.getMessage());
    assertEquals("wasmbus.ctl.default.get." + ghost + ".inv", e.subject());
  }

  @Test
  void aBorrowedConnectionGetsTheSameErrors() throws Exception {
    // testkit's connection does not ask for no-responders reports: jnats cancels instead
    String ghost = KeyPair.generate(KeyType.SERVER).publicKey();
    Connection nc = lattice.nats.connect();
    try {
      try (CtlClient c =
          CtlClient.builder().connection(nc).timeout(Duration.ofMillis(400)).build()) {
        assertThrows(NoRespondersException.class, () -> c.inventory(ghost));
        nc.createDispatcher(m -> {}).subscribe("wasmbus.ctl.default.get." + ghost + ".inv");
        nc.flush(Duration.ofSeconds(1));
        CtlTimeoutException t = assertThrows(CtlTimeoutException.class, () -> c.inventory(ghost));
        assertEquals("no reply from host " + ghost + " to inventory within 400 ms", t.getMessage());
        assertEquals(2, c.pingHosts(Duration.ofMillis(300)).size());
      }
      assertEquals(
          Connection.Status.CONNECTED,
          nc.getStatus(),
          "the client left the borrowed connection open");
    } finally {
      nc.close();
    }
  }

  @Test
  void timeoutNamesTheHostAndTheRequest() throws Exception {
    String silent = KeyPair.generate(KeyType.SERVER).publicKey();
    lattice.raw.createDispatcher(m -> {}).subscribe("wasmbus.ctl.default.get." + silent + ".inv");
    lattice.raw.flush(Duration.ofSeconds(1));
    try (CtlClient c =
        CtlClient.builder().url(lattice.nats.url()).timeout(Duration.ofMillis(300)).build()) {
      CtlTimeoutException e = assertThrows(CtlTimeoutException.class, () -> c.inventory(silent));
      assertEquals("no reply from host " + silent + " to inventory within 300 ms", e.getMessage());
    }
  }

  @Test
  void claimsListTheStartedActorInTheBucketShape() throws Exception {
    ClaimsRecord c =
        lattice.client.claims().stream()
            .filter(r -> r.subject().equals(echo.actorId()))
            .findFirst()
            .orElseThrow();
    assertEquals("echo", c.name());
    assertEquals("wasmcloud:httpserver", c.caps());
    assertEquals("", c.contractId());

    JsonNode raw = lattice.rawRequest("wasmbus.ctl.default.get.claims", "");
    assertEquals(Set.of("claims"), fields(raw));
    JsonNode rec = raw.get("claims").get(0);
    assertTrue(
        Set.of("call_alias", "iss", "name", "caps", "rev", "tags", "version", "sub", "contract_id")
                .containsAll(fields(rec))
            && fields(rec)
                .containsAll(
                    Set.of(
                        "call_alias",
                        "iss",
                        "name",
                        "caps",
                        "rev",
                        "tags",
                        "version",
                        "sub",
                        "contract_id")),
        "fields " + fields(rec));
    rec.properties()
        .forEach(e -> assertTrue(e.getValue().isTextual(), "every claims value is a string: " + e));
  }

  @Test
  void linksArePutListedAndDeleted() throws Exception {
    String provider = KeyPair.generate(KeyType.SERVICE).publicKey();
    LinkDefinition link =
        LinkDefinition.of(
            echo.actorId(),
            provider,
            "default",
            "wasmcloud:keyvalue",
            Map.of("URL", "redis://127.0.0.1:6379"));
    assertEquals(Ack.ok(), lattice.client.putLink(link));
    LinkDefinition got =
        lattice.client.links().stream()
            .filter(l -> l.providerId().equals(provider))
            .findFirst()
            .orElseThrow();
    assertEquals(link.id(), got.id());
    assertEquals("redis://127.0.0.1:6379", got.values().get("URL"));

    JsonNode raw = lattice.rawRequest("wasmbus.ctl.default.get.links", "");
    assertEquals(Set.of("links"), fields(raw));
    JsonNode l = raw.get("links").get(0);
    assertEquals(
        Set.of("id", "actor_id", "provider_id", "link_name", "contract_id", "values"), fields(l));

    assertEquals(
        Ack.ok(), lattice.client.deleteLink(echo.actorId(), "wasmcloud:keyvalue", "default"));
    assertFalse(lattice.client.links().stream().anyMatch(x -> x.providerId().equals(provider)));
    Ack again = lattice.client.deleteLink(echo.actorId(), "wasmcloud:keyvalue", "default");
    // deleting an absent link is accepted as by the OTP host, with a note naming it
    assertTrue(again.accepted(), again.toString());
    assertTrue(
        again.error().startsWith("nothing to delete: no link from actor " + echo.actorId())
            && again.error().contains("wasmcloud:keyvalue"),
        again.error());
  }
}
