package io.trellis.wasmbus.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.lattice.RefMap;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkDefinitionTest {

  @Test
  void idsMatchSpec123() {
    assertEquals(
        "B40411AD09B70A2C83D59923584F66BA2C5A3C274DC4F19416DA49CCD6531F9C",
        LinkDefinition.computeId("Mbob", "wasmcloud:testy", "default"));
    assertEquals(
        "124AD321267D17B4C40AC52B13C4D8EA9D21D69C7F1EB17E136E067D0F93EF71",
        LinkDefinition.computeId(
            "MCFMFDWFHGKELOXPCNCDXKK5OFLHBVEWRAOXR5JSQUD2TOFRE3DFPM7E",
            "wasmcloud:keyvalue",
            "default"));
  }

  @Test
  void refmapKeyMatchesSpec() {
    assertEquals(
        "REFMAP_d2FzbWNsb3VkLmF6dXJlY3IuaW8vZWNobzowLjMuMQ",
        LatticeKeys.refmap("wasmcloud.azurecr.io/echo:0.3.1"));
    assertEquals("LATTICEDATA_default", LatticeKeys.bucket("default"));
    RefMap r = RefMap.fromJson(new RefMap("a/b:1", "Mx").toJson());
    assertEquals("Mx", r.publicKey());
  }

  @Test
  void washStyleLinksWithUuidIdsAreRead() {
    LinkDefinition l1 =
        LinkDefinition.fromJson(SpecVectors.LINK_1.getBytes(StandardCharsets.UTF_8)).validate();
    assertEquals(
        "fb30deff-bbe7-4a28-a525-e53ebd4e8228",
        l1.id(),
        "the stored id is kept, not assumed to be a hash");
    assertEquals(Map.of("PORT", "8082"), l1.values());
    assertEquals(
        LinkDefinition.computeId(l1.actorId(), "wasmcloud:httpserver", "default"),
        l1.canonicalId());
    LinkDefinition l2 =
        LinkDefinition.fromJson(SpecVectors.LINK_2.getBytes(StandardCharsets.UTF_8));
    assertEquals("redis://127.0.0.1:6379", l2.values().get("URL"));
  }

  @Test
  void missingIdIsComputedAndJsonRoundTrips() {
    LinkDefinition l =
        LinkDefinition.fromJson(
            ("{\"actor_id\":\"Mbob\",\"provider_id\":\"Valice\","
                    + "\"contract_id\":\"wasmcloud:testy\",\"link_name\":\"default\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertEquals("B40411AD09B70A2C83D59923584F66BA2C5A3C274DC4F19416DA49CCD6531F9C", l.id());
    assertEquals(l, LinkDefinition.fromJson(l.toJson()));
    assertEquals(l, LinkDefinition.fromMsgPack(l.toMsgPack()));
    assertEquals("default", LinkDefinition.of("M", "V", null, "c", null).linkName());
  }

  @Test
  void badLinksAreNamed() {
    String actor = "MBW3UGAIONCX3RIDDUGDCQIRGBQQOWS643CVICQ5EZ7SWNQPZLZTSQKU";
    String provider = "VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M";
    assertTrue(
        assertThrows(
                InvalidLinkDefinitionException.class,
                () -> LinkDefinition.of("Mbob", provider, "default", "c", Map.of()).validate())
            .getMessage()
            .contains("actor_id"));
    assertTrue(
        assertThrows(
                InvalidLinkDefinitionException.class,
                () -> LinkDefinition.of(actor, actor, "default", "c", Map.of()).validate())
            .getMessage()
            .contains("provider_id"));
    assertThrows(
        InvalidLinkDefinitionException.class,
        () -> LinkDefinition.of(actor, provider, "default", " ", Map.of()).validate());
    assertTrue(
        assertThrows(
                InvalidLinkDefinitionException.class,
                () ->
                    LinkDefinition.fromJson(
                        ("{\"actor_id\":\""
                                + actor
                                + "\",\"provider_id\":\""
                                + provider
                                + "\",\"contract_id\":\"c\","
                                + "\"values\":{\"PORT\":8080}}")
                            .getBytes(StandardCharsets.UTF_8)))
            .getMessage()
            .contains("PORT"));
    assertThrows(
        InvalidLinkDefinitionException.class, () -> LinkDefinition.fromJson("{".getBytes()));
    assertTrue(
        assertThrows(
                InvalidLinkDefinitionException.class,
                () -> LinkDefinition.fromJson("{\"actor_id\":\"M\"}".getBytes()))
            .getMessage()
            .contains("provider_id"));
  }

  @Test
  void claimsRecordsFromWashAreRead() {
    ClaimsRecord c1 = ClaimsRecord.fromJson(SpecVectors.CLAIMS_1.getBytes(StandardCharsets.UTF_8));
    assertEquals("1631624220", c1.revision());
    assertEquals(java.util.List.of("wasmcloud:httpserver"), c1.capsList());
    assertEquals("", c1.contractId());
    ClaimsRecord c2 = ClaimsRecord.fromJson(SpecVectors.CLAIMS_2.getBytes(StandardCharsets.UTF_8));
    assertEquals("HTTP Server", c2.name());
    assertEquals("0.14.10", c2.version());
    String written = new String(c1.toJson(), StandardCharsets.UTF_8);
    assertTrue(written.contains("\"rev\":\"1631624220\""));
    assertTrue(written.contains("\"version\":\"0.3.0\""));
    assertEquals(c1, ClaimsRecord.fromJson(c1.toJson()));
  }
}
