package io.trellis.host.rpc;

import io.trellis.host.runtime.Actor;
import org.jspecify.annotations.Nullable;

/** Finds the actor running on this host under a public key (null when it is not running). */
@FunctionalInterface
public interface ActorDirectory {
  @Nullable Actor find(String publicKey);
}
