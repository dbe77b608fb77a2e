package io.trellis.host.runtime;

import com.dylibso.chicory.wabt.Wat2Wasm;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Signed test modules: the committed sample actors, and WAT fixtures compiled at test time. */
public final class Fixtures {
  public static final KeyPair ACCOUNT = KeyPair.generate(KeyType.ACCOUNT);
  private static final Map<String, byte[]> WAT_CACHE = new ConcurrentHashMap<>();

  private Fixtures() {}

  /** A committed sample actor from actors-samples/dist. */
  public static byte[] dist(String name) {
    Path p = Path.of("..", "actors-samples", "dist", name + ".wasm");
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("missing sample actor " + p.toAbsolutePath(), e);
    }
  }

  /** The raw (unsigned) wasm of a WAT fixture in src/test/resources/wat. */
  public static byte[] wat(String name) {
    return WAT_CACHE.computeIfAbsent(
        name,
        n -> {
          try (var in = Fixtures.class.getResourceAsStream("/wat/" + n + ".wat")) {
            if (in == null) {
              throw new IllegalArgumentException("no fixture wat/" + n + ".wat");
            }
            return Wat2Wasm.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** A WAT fixture signed with a fresh module key and the given caps. */
  public static byte[] signedWat(String name, String... caps) {
    return sign(wat(name), name, KeyPair.generate(KeyType.MODULE), null, null, caps);
  }

  public static byte[] sign(
      byte[] module, String name, KeyPair moduleKey, Long exp, Long nbf, String... caps) {
    ActorMetadata meta =
        new ActorMetadata(name, null, List.of(), List.of(caps), 1, "0.0.1", null, false);
    return ModuleClaims.sign(
        module, meta, ACCOUNT, moduleKey, Instant.now().getEpochSecond(), "fixture", exp, nbf);
  }
}
