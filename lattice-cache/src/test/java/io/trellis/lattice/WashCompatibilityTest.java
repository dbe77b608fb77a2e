package io.trellis.lattice;

import static io.trellis.lattice.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md §12.3: what wash and the OTP host put in the bucket, read and written by the cache.
 */
class WashCompatibilityTest {
  static NatsServer nats;
  static Connection host;
  static Connection tool;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    host = nats.connect();
    tool = nats.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
    tool.close();
    nats.close();
  }

  @Test
  void washUuidLinksAndClaimsSamplesAreReadAndDeletableByTriple() throws Exception {
    String prefix = Fixtures.prefix("wash");
    // the bucket must exist before raw writes: let a cache create it
    LatticeCache.connect(host, Fixtures.options(prefix)).close();
    Fixtures.RawBucket raw = new Fixtures.RawBucket(tool, prefix);
    raw.put("LINKDEF_fb30deff-bbe7-4a28-a525-e53ebd4e8228", SpecSamples.LINK_1);
    raw.put("LINKDEF_ff140106-dd0d-44ee-8241-a2158a528b1d", SpecSamples.LINK_2);
    raw.put("CLAIMS_" + SpecSamples.KVCOUNTER, SpecSamples.CLAIMS_1);
    raw.put("CLAIMS_" + SpecSamples.HTTPSERVER, SpecSamples.CLAIMS_2);

    try (LatticeCache cache = LatticeCache.connect(host, Fixtures.options(prefix))) {
      LinkDefinition http =
          cache.link(SpecSamples.KVCOUNTER, "wasmcloud:httpserver", "default").orElseThrow();
      assertEquals("fb30deff-bbe7-4a28-a525-e53ebd4e8228", http.id(), "the stored UUID id is kept");
      assertEquals(Map.of("PORT", "8082"), http.values());
      assertEquals(SpecSamples.HTTPSERVER, http.providerId());
      assertEquals(Optional.of(http), cache.linkById("fb30deff-bbe7-4a28-a525-e53ebd4e8228"));
      LinkDefinition kv = cache.linkById("ff140106-dd0d-44ee-8241-a2158a528b1d").orElseThrow();
      assertEquals("redis://127.0.0.1:6379", kv.values().get("URL"));
      assertEquals(Set.of(http, kv), Set.copyOf(cache.linksForActor(SpecSamples.KVCOUNTER)));
      assertEquals(List.of(kv), cache.linksForProvider(SpecSamples.KVREDIS, "default"));

      ClaimsRecord c1 = cache.claims(SpecSamples.KVCOUNTER).orElseThrow();
      assertEquals("kvcounter", c1.name());
      assertEquals("1631624220", c1.revision());
      assertEquals(List.of("wasmcloud:httpserver"), c1.capsList());
      ClaimsRecord c2 = cache.claims(SpecSamples.HTTPSERVER).orElseThrow();
      assertEquals("HTTP Server", c2.name());
      assertEquals("0.14.10", c2.version());
      assertEquals(Optional.empty(), cache.resolveCallAlias(""));

      Fixtures.Recorder events = new Fixtures.Recorder();
      cache.addListener(events);
      assertEquals(
          Optional.of(http), cache.deleteLink(SpecSamples.KVCOUNTER, "wasmcloud:httpserver", null));
      assertEquals(Optional.empty(), cache.linkById("fb30deff-bbe7-4a28-a525-e53ebd4e8228"));
      assertEquals(List.of(kv), cache.linksForActor(SpecSamples.KVCOUNTER));
      assertTrue(
          raw.contents().keySet().stream().noneMatch(k -> k.contains("fb30deff")),
          "the UUID key itself is gone from the bucket");
      assertEquals(http, events.awaitOne(LatticeEvent.LinkDeleted.class, e -> true).link());
    }
  }

  @Test
  void twoKeysForOneTripleTheNewerWinsAndDeleteLinkRemovesBoth() throws Exception {
    String prefix = Fixtures.prefix("wash");
    try (LatticeCache cache = LatticeCache.connect(host, Fixtures.options(prefix))) {
      Fixtures.Recorder events = new Fixtures.Recorder();
      cache.addListener(events);
      Fixtures.RawBucket raw = new Fixtures.RawBucket(tool, prefix);
      raw.put("LINKDEF_fb30deff-bbe7-4a28-a525-e53ebd4e8228", SpecSamples.LINK_1); // PORT 8082
      await().until(() -> cache.links().size() == 1);
      LinkDefinition hashed =
          LinkDefinition.of(
              SpecSamples.KVCOUNTER,
              SpecSamples.HTTPSERVER,
              "default",
              "wasmcloud:httpserver",
              Map.of("PORT", "9000"));
      cache.putLink(hashed); // LINKDEF_{hash}: a second key for the same triple, newer revision
      assertEquals(
          hashed,
          cache.link(SpecSamples.KVCOUNTER, "wasmcloud:httpserver", "default").orElseThrow());
      assertEquals(1, cache.links().size());
      LatticeEvent.LinkPut put =
          events.awaitOne(LatticeEvent.LinkPut.class, e -> e.link().equals(hashed));
      assertEquals("fb30deff-bbe7-4a28-a525-e53ebd4e8228", put.previous().id());

      // removing the winning key lets the older one take over again (it is still in the bucket)
      raw.kv.purge("LINKDEF_" + hashed.id());
      await()
          .until(
              () ->
                  cache
                      .link(SpecSamples.KVCOUNTER, "wasmcloud:httpserver", "default")
                      .map(l -> l.id().startsWith("fb30deff"))
                      .orElse(false));
      cache.putLink(hashed);
      events.clear();
      assertEquals(
          Optional.of(hashed),
          cache.deleteLink(SpecSamples.KVCOUNTER, "wasmcloud:httpserver", "default"));
      assertEquals(List.of(), cache.links());
      assertEquals(Set.of(), raw.links());
      await().until(() -> !events.of(LatticeEvent.LinkDeleted.class).isEmpty());
      assertEquals(
          List.of(new LatticeEvent.LinkDeleted(hashed)), events.of(LatticeEvent.LinkDeleted.class));
    }
  }

  @Test
  void writesUseSpecKeysAndJsonAndLinkIdsMatchSpecVectors() throws Exception {
    String prefix = Fixtures.prefix("wash");
    try (LatticeCache cache = LatticeCache.connect(host, Fixtures.options(prefix))) {
      Fixtures.RawBucket raw = new Fixtures.RawBucket(tool, prefix);
      LinkDefinition e2e =
          LinkDefinition.of(
              SpecSamples.E2E_ACTOR,
              SpecSamples.KVREDIS,
              "default",
              "wasmcloud:keyvalue",
              Map.of("URL", "redis://127.0.0.1:6379"));
      assertEquals(SpecSamples.E2E_LINK_ID, e2e.id());
      cache.putLink(e2e);
      JsonNode link = JSON.readTree(raw.kv.get("LINKDEF_" + SpecSamples.E2E_LINK_ID).getValue());
      assertEquals(
          Set.of("id", "actor_id", "provider_id", "link_name", "contract_id", "values"),
          fieldNames(link));
      assertEquals(SpecSamples.E2E_LINK_ID, link.get("id").asText());
      assertEquals("redis://127.0.0.1:6379", link.get("values").get("URL").asText());

      cache.putClaims(ClaimsRecord.fromJson(SpecSamples.CLAIMS_1.getBytes()));
      JsonNode claims = JSON.readTree(raw.kv.get("CLAIMS_" + SpecSamples.KVCOUNTER).getValue());
      assertEquals(JSON.readTree(SpecSamples.CLAIMS_1), without(claims, "contract_id"));
      assertEquals("", claims.get("contract_id").asText());

      cache.putRefMap(new RefMap(SpecSamples.ECHO_REF, SpecSamples.KVCOUNTER));
      JsonNode ref = JSON.readTree(raw.kv.get(SpecSamples.ECHO_REF_KEY).getValue());
      assertEquals(
          JSON.readTree(
              "{\"oci_url\":\""
                  + SpecSamples.ECHO_REF
                  + "\",\"public_key\":\""
                  + SpecSamples.KVCOUNTER
                  + "\"}"),
          ref);

      // a wash-written link without an id gets the hash id (PROTOCOL.md §6.1)
      raw.put(
          "LINKDEF_" + "B40411AD09B70A2C83D59923584F66BA2C5A3C274DC4F19416DA49CCD6531F9C",
          "{\"actor_id\":\""
              + SpecSamples.E2E_ACTOR
              + "\",\"provider_id\":\""
              + SpecSamples.KVREDIS
              + "\",\"contract_id\":\"wasmcloud:testy\",\"link_name\":\"default\"}");
      await()
          .until(() -> cache.link(SpecSamples.E2E_ACTOR, "wasmcloud:testy", "default").isPresent());
      LinkDefinition noId =
          cache.link(SpecSamples.E2E_ACTOR, "wasmcloud:testy", "default").orElseThrow();
      assertEquals(
          LinkDefinition.computeId(SpecSamples.E2E_ACTOR, "wasmcloud:testy", "default"), noId.id());
      assertNull(
          cache
              .linkById("B40411AD09B70A2C83D59923584F66BA2C5A3C274DC4F19416DA49CCD6531F9C")
              .orElse(null),
          "the key is not the id: only the value's (computed) id is indexed");
    }
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> s = new java.util.HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  private static JsonNode without(JsonNode n, String field) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = n.deepCopy();
    copy.remove(field);
    return copy;
  }
}
