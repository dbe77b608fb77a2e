package io.trellis.lattice;

import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;

/** What a bucket key holds once decoded; see {@link EntryDecoder}. */
sealed interface LatticeValue {

  record Link(LinkDefinition link) implements LatticeValue {}

  record Claims(ClaimsRecord claims) implements LatticeValue {}

  record Ref(RefMap refMap) implements LatticeValue {}

  /** A key outside the three known prefixes: not ours, ignored. */
  record Unknown() implements LatticeValue {}

  /** A known prefix with a value that cannot be used; {@code reason} names what is wrong. */
  record Invalid(String reason) implements LatticeValue {}
}
