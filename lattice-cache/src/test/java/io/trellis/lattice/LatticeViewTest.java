package io.trellis.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The view's bookkeeping without a server: triples, revisions, reconcile, aliases. */
class LatticeViewTest {
  static final String ACTOR = KeyPair.generate(KeyType.MODULE).publicKey();
  static final String ACTOR2 = KeyPair.generate(KeyType.MODULE).publicKey();
  static final String P1 = KeyPair.generate(KeyType.SERVICE).publicKey();
  static final String P2 = KeyPair.generate(KeyType.SERVICE).publicKey();

  final LatticeView view = new LatticeView("LATTICEDATA_test");

  static LinkDefinition link(String actor, String provider, String id) {
    return new LinkDefinition(id, actor, provider, "default", "wasmcloud:keyvalue", Map.of());
  }

  static KvRecord put(String key, long rev, byte[] json) {
    return KvRecord.put(key, rev, json);
  }

  static KvRecord put(String key, long rev, LinkDefinition l) {
    return put(key, rev, l.toJson());
  }

  @Test
  void theNewestKeyForATripleWinsAndRemovingItRestoresTheOther() {
    LinkDefinition uuid = link(ACTOR, P1, "fb30deff-bbe7-4a28-a525-e53ebd4e8228");
    LinkDefinition hashed = link(ACTOR, P2, null);
    assertEquals(
        List.of(new LatticeEvent.LinkPut(uuid, null)),
        view.apply(put("LINKDEF_" + uuid.id(), 1, uuid)));
    assertEquals(
        List.of(new LatticeEvent.LinkPut(hashed, uuid)),
        view.apply(put("LINKDEF_" + hashed.id(), 2, hashed)));
    assertEquals(List.of(hashed), view.links());
    assertEquals(List.of(hashed), view.linksForProvider(P2, null));
    assertEquals(List.of(), view.linksForProvider(P1, "default"));
    assertEquals(
        List.of("LINKDEF_" + uuid.id(), "LINKDEF_" + hashed.id()),
        view.keysForLink(ACTOR, "wasmcloud:keyvalue", "default"));
    // the shadowed key goes: nothing visible changes
    assertEquals(List.of(), view.apply(KvRecord.deletion("LINKDEF_" + uuid.id(), 3)));
    assertEquals(List.of(hashed), view.links());
    view.apply(put("LINKDEF_" + uuid.id(), 4, uuid)); // newest again
    assertEquals(Optional.of(uuid), view.link(ACTOR, "wasmcloud:keyvalue", "default"));
    assertEquals(
        List.of(new LatticeEvent.LinkPut(hashed, uuid)),
        view.apply(KvRecord.deletion("LINKDEF_" + uuid.id(), 5)));
    assertEquals(
        List.of(new LatticeEvent.LinkDeleted(hashed)),
        view.apply(KvRecord.deletion("LINKDEF_" + hashed.id(), 6)));
    assertEquals(List.of(), view.links());
    assertEquals(Optional.empty(), view.linkById(hashed.id()));
    assertEquals(List.of(), view.linksForActor(ACTOR));
  }

  @Test
  void aKeyThatChangesTripleLeavesNothingBehind() {
    LinkDefinition first = link(ACTOR, P1, "same-key");
    LinkDefinition moved =
        new LinkDefinition("same-key", ACTOR2, P1, "default", "wasmcloud:keyvalue", Map.of());
    view.apply(put("LINKDEF_x", 1, first));
    List<LatticeEvent> events = view.apply(put("LINKDEF_x", 2, moved));
    assertEquals(
        List.of(new LatticeEvent.LinkDeleted(first), new LatticeEvent.LinkPut(moved, null)),
        events);
    assertEquals(List.of(), view.linksForActor(ACTOR));
    assertEquals(List.of(moved), view.linksForActor(ACTOR2));
  }

  @Test
  void reconcileReportsOnlyDifferencesAndDropsPhantoms() {
    LinkDefinition kept = link(ACTOR, P1, null);
    LinkDefinition phantom =
        new LinkDefinition(null, ACTOR2, P1, "default", "wasmcloud:keyvalue", Map.of());
    LinkDefinition changedBefore =
        new LinkDefinition(null, ACTOR, P1, "default", "wasmcloud:httpserver", Map.of("PORT", "1"));
    LinkDefinition changedAfter =
        new LinkDefinition(null, ACTOR, P1, "default", "wasmcloud:httpserver", Map.of("PORT", "2"));
    view.apply(put("LINKDEF_" + kept.id(), 1, kept));
    view.apply(put("LINKDEF_" + phantom.id(), 2, phantom));
    view.apply(put("LINKDEF_" + changedBefore.id(), 3, changedBefore));

    Map<String, KvRecord> snapshot = new HashMap<>();
    snapshot.put("LINKDEF_" + kept.id(), put("LINKDEF_" + kept.id(), 1, kept));
    snapshot.put(
        "LINKDEF_" + changedAfter.id(), put("LINKDEF_" + changedAfter.id(), 7, changedAfter));
    snapshot.put("UNRELATED", put("UNRELATED", 8, "x".getBytes(StandardCharsets.UTF_8)));
    List<LatticeEvent> events = view.reconcile(snapshot);
    assertEquals(
        List.of(
            new LatticeEvent.LinkDeleted(phantom),
            new LatticeEvent.LinkPut(changedAfter, changedBefore)),
        events);
    assertEquals(OptionalLong.of(7), view.revision("LINKDEF_" + changedAfter.id()));
    assertEquals(OptionalLong.empty(), view.revision("LINKDEF_" + phantom.id()));
    assertEquals(
        List.of(), view.reconcile(snapshot), "a second identical snapshot changes nothing");
  }

  @Test
  void aliasesBelongToTheFirstClaimsAndAreFreedWhenTheyGo() {
    ClaimsRecord a = claims(ACTOR, "alias");
    ClaimsRecord b = claims(ACTOR2, "alias");
    view.apply(put(LatticeKeys.claims(ACTOR), 1, a.toJson()));
    view.apply(put(LatticeKeys.claims(ACTOR2), 2, b.toJson()));
    assertEquals(Optional.of(ACTOR), view.resolveCallAlias("alias"));
    view.apply(put(LatticeKeys.claims(ACTOR2), 3, b.toJson())); // re-put: still not the owner
    assertEquals(Optional.of(ACTOR), view.resolveCallAlias("alias"));
    view.apply(put(LatticeKeys.claims(ACTOR), 4, claims(ACTOR, "renamed").toJson()));
    assertEquals(Optional.of(ACTOR), view.resolveCallAlias("renamed"));
    assertEquals(Optional.empty(), view.resolveCallAlias("alias"), "freed, not handed over");
    view.apply(put(LatticeKeys.claims(ACTOR2), 5, b.toJson()));
    assertEquals(Optional.of(ACTOR2), view.resolveCallAlias("alias"));
    assertEquals(
        List.of(new LatticeEvent.ClaimsDeleted(ACTOR)),
        view.apply(KvRecord.deletion(LatticeKeys.claims(ACTOR), 6)));
    assertEquals(Optional.empty(), view.resolveCallAlias("renamed"));
    assertEquals(Optional.empty(), view.resolveCallAlias("a"));
  }

  @Test
  void invalidValuesAreDecodedAsInvalidNamingTheProblem() {
    assertTrue(EntryDecoder.decode("LINKDEF_x", "{".getBytes()) instanceof LatticeValue.Invalid);
    assertTrue(EntryDecoder.decode("LINKDEF_x", new byte[0]) instanceof LatticeValue.Invalid);
    LatticeValue v = EntryDecoder.decode(LatticeKeys.claims(ACTOR), claims(ACTOR2, "").toJson());
    assertTrue(v instanceof LatticeValue.Invalid i && i.reason().contains(ACTOR2), v.toString());
    assertTrue(
        EntryDecoder.decode("REFMAP_x", "{\"oci_url\":\"a\",\"public_key\":\"b\"}".getBytes())
            instanceof LatticeValue.Invalid);
    assertTrue(EntryDecoder.decode("OTHER_x", "{".getBytes()) instanceof LatticeValue.Unknown);
  }

  static ClaimsRecord claims(String pk, String alias) {
    return new ClaimsRecord(alias, "A", "n", "", "1", "", "", pk, "", null);
  }
}
