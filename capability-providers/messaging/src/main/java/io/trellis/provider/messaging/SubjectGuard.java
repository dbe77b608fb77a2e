package io.trellis.provider.messaging;

import io.trellis.wasmbus.LatticeException;
import java.util.Set;

/**
 * When an actor's messaging runs on the provider's own lattice connection, its subjects must stay
 * out of the lattice's control plane: otherwise any actor holding {@code wasmcloud:messaging} could
 * publish link definitions or control commands, or read invocations. A subject whose first token is
 * {@code wasmbus}, {@code $JS}, {@code $KV}, {@code $O} or {@code $SYS}, or a wildcard (which could
 * match those), is refused. An actor linked with its own {@code URI} is not restricted.
 */
final class SubjectGuard {
  static final Set<String> RESERVED = Set.of("wasmbus", "$JS", "$KV", "$O", "$SYS");

  private SubjectGuard() {}

  static void check(String subject, String what) {
    if (subject == null || subject.isBlank()) {
      throw new LatticeException(what + " needs a subject");
    }
    String first = subject.split("\\.", 2)[0];
    if (RESERVED.contains(first) || first.equals("*") || first.equals(">")) {
      throw new LatticeException(
          what
              + " on '"
              + subject
              + "' is not allowed on the lattice connection:"
              + " subjects starting with "
              + RESERVED
              + " (or a wildcard) belong to the lattice; link with a"
              + " URI to use another NATS server");
    }
  }
}
