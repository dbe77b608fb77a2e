package io.trellis.lattice;

import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;

/**
 * Turns a bucket value into a typed {@link LatticeValue}, validating what other tools may have
 * written: links must parse and {@link LinkDefinition#validate() validate} (actor key {@code M…},
 * provider key {@code V…}, contract, string values); a claims record must be stored under its own
 * subject and a refmap under the key of its own reference, so a value can never shadow another
 * entity's entry. Never throws: problems come back as {@link LatticeValue.Invalid}.
 */
final class EntryDecoder {
  private EntryDecoder() {}

  static LatticeValue decode(String key, byte[] value) {
    try {
      if (key.startsWith(LatticeKeys.LINKDEF_PREFIX)) {
        return new LatticeValue.Link(LinkDefinition.fromJson(value).validate());
      }
      if (key.startsWith(LatticeKeys.CLAIMS_PREFIX)) {
        ClaimsRecord c = ClaimsRecord.fromJson(value);
        String pk = key.substring(LatticeKeys.CLAIMS_PREFIX.length());
        if (!pk.equals(c.subject())) {
          return new LatticeValue.Invalid(
              "claims subject '"
                  + c.subject()
                  + "' does not match the key's public key '"
                  + pk
                  + "'");
        }
        return new LatticeValue.Claims(c);
      }
      if (key.startsWith(LatticeKeys.REFMAP_PREFIX)) {
        RefMap r = RefMap.fromJson(value);
        if (!LatticeKeys.refmap(r.ociUrl()).equals(key)) {
          return new LatticeValue.Invalid(
              "refmap for '" + r.ociUrl() + "' belongs under " + LatticeKeys.refmap(r.ociUrl()));
        }
        return new LatticeValue.Ref(r);
      }
      return new LatticeValue.Unknown();
    } catch (LatticeException e) {
      return new LatticeValue.Invalid(e.getMessage());
    } catch (RuntimeException e) {
      // a parser bug on foreign data must cost one entry, never the watch
      return new LatticeValue.Invalid(e.toString());
    }
  }
}
