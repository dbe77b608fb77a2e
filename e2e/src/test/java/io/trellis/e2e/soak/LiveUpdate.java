package io.trellis.e2e.soak;

import io.trellis.ctl.CtlClient;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.claims.SignedModule;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The soak's live update: kvcounter re-signed with the next revision (same code, same module and
 * account keys, from actors-samples/keys), then {@code ctl update actor} on one host while the
 * counter's increments flow through it. Revisions only grow, so every update is to a revision above
 * what any host runs (a host restarted by a host-kill runs the manifest's). The app-upgrade fault
 * puts the next revision into the manifest instead ({@link #signNext}).
 */
final class LiveUpdate {
  private final CtlClient ctl;
  private final byte[] module;
  private final ActorMetadata metadata;
  private final KeyPair account;
  private final KeyPair moduleKey;
  private final Path dir;
  private int revision;

  private LiveUpdate(
      CtlClient ctl,
      byte[] module,
      ActorMetadata metadata,
      KeyPair account,
      KeyPair moduleKey,
      Path dir) {
    this.ctl = ctl;
    this.module = module;
    this.metadata = metadata;
    this.account = account;
    this.moduleKey = moduleKey;
    this.dir = dir;
    this.revision = metadata.rev() == null ? 0 : metadata.rev();
  }

  static LiveUpdate of(Path root, Path dir, CtlClient ctl) throws IOException {
    byte[] module = Files.readAllBytes(root.resolve("actors-samples/dist/kvcounter.wasm"));
    SignedModule signed = ModuleClaims.verify(module, Instant.now());
    KeyPair account = key(root, "account.nk", KeyType.ACCOUNT);
    KeyPair moduleKey = key(root, "kvcounter.nk", KeyType.MODULE);
    if (!moduleKey.publicKey().equals(signed.publicKey())) {
      throw new IllegalStateException(
          "actors-samples/keys/kvcounter.nk is not the key of dist/kvcounter.wasm ("
              + signed.publicKey()
              + ")");
    }
    return new LiveUpdate(
        ctl, module, signed.metadata(), account, moduleKey, Files.createDirectories(dir));
  }

  private static KeyPair key(Path root, String file, KeyType type) throws IOException {
    return KeyPair.fromSeed(
        Files.readString(root.resolve("actors-samples/keys").resolve(file)).strip(), type);
  }

  String actorId() {
    return moduleKey.publicKey();
  }

  /** Signs the next revision and asks {@code host} to switch to it: what happened, for the log. */
  String apply(SoakHost host) throws IOException {
    String ref = signNext();
    Ack ack = ctl.updateActor(host.id(), actorId(), ref, Map.of());
    return ack.accepted()
        ? "kvcounter on " + host.name + " now runs revision " + revision
        : "kvcounter on " + host.name + " not updated to revision " + revision + ": " + ack.error();
  }

  /** Where each host runs kvcounter from, for the log: "h1 kvcounter-r2.wasm, …". */
  String running(List<SoakHost> hosts) {
    List<String> out = new ArrayList<>();
    for (SoakHost h : hosts) {
      try {
        String refs =
            ctl.inventory(h.id()).actors().stream()
                .filter(a -> a.id().equals(actorId()))
                .map(a -> a.imageRef().substring(a.imageRef().lastIndexOf('/') + 1))
                .collect(Collectors.joining(" "));
        out.add(h.name + " " + (refs.isEmpty() ? "none" : refs));
      } catch (RuntimeException e) {
        out.add(h.name + " unknown (" + e.getMessage() + ")");
      }
    }
    return "kvcounter runs from: " + String.join(", ", out);
  }

  /** The revision {@link #signNext} signed last. */
  int revision() {
    return revision;
  }

  /** Signs kvcounter's next revision into a file: its reference. */
  String signNext() throws IOException {
    revision++;
    ActorMetadata next =
        new ActorMetadata(
            metadata.name(),
            null,
            metadata.tags(),
            metadata.caps(),
            revision,
            "soak." + revision,
            metadata.callAlias(),
            false);
    byte[] signed =
        ModuleClaims.sign(
            module,
            next,
            account,
            moduleKey,
            Instant.now().getEpochSecond(),
            "soak-" + revision,
            null,
            null);
    return Files.write(dir.resolve("kvcounter-r" + revision + ".wasm"), signed).toUri().toString();
  }
}
