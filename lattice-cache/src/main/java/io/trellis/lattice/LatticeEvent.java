package io.trellis.lattice;

import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.RefMap;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change of the local view of the lattice bucket, as seen by the watch (or found by a resync).
 * The host turns link events into {@code linkdef_set}/{@code linkdef_deleted} lattice events and
 * {@code linkdefs.put}/{@code linkdefs.del} provider notifications (PROTOCOL.md §6.3, §9.3).
 */
public sealed interface LatticeEvent {

  /**
   * The effective link for its (actor, contract, link name) was written or replaced.
   *
   * @param link the link now in force
   * @param previous the link it replaced, or null if the triple had none
   */
  record LinkPut(LinkDefinition link, @Nullable LinkDefinition previous) implements LatticeEvent {
    public LinkPut {
      Objects.requireNonNull(link, "link");
    }
  }

  /**
   * The triple has no link any more.
   *
   * @param link the link that was cached before the deletion (what providers must be told to drop)
   */
  record LinkDeleted(LinkDefinition link) implements LatticeEvent {
    public LinkDeleted {
      Objects.requireNonNull(link, "link");
    }
  }

  /** Claims of an actor or provider were written. */
  record ClaimsPut(ClaimsRecord claims) implements LatticeEvent {
    public ClaimsPut {
      Objects.requireNonNull(claims, "claims");
    }
  }

  /** Claims of {@code publicKey} were deleted (OTP hosts never do this; other tools may). */
  record ClaimsDeleted(String publicKey) implements LatticeEvent {
    public ClaimsDeleted {
      Objects.requireNonNull(publicKey, "publicKey");
    }
  }

  /** An image reference was mapped to a public key. */
  record RefMapPut(RefMap refMap) implements LatticeEvent {
    public RefMapPut {
      Objects.requireNonNull(refMap, "refMap");
    }
  }
}
