package io.trellis.wasmbus.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed, signed sample actors must verify, with the caps their README promises. */
class DistActorsTest {
  static final Path DIST = Path.of("..", "actors-samples", "dist");
  static final Map<String, List<String>> CAPS =
      Map.of(
          "echo", List.of("wasmcloud:httpserver"),
          "echo_unprivileged", List.of(),
          "kvcounter", List.of("wasmcloud:httpserver", "wasmcloud:keyvalue"),
          "pinger", List.of("wasmcloud:httpserver"),
          "ponger", List.of(),
          "fetch", List.of("wasmcloud:httpserver", "wasmcloud:httpclient"),
          "logger",
              List.of(
                  "wasmcloud:httpserver",
                  "wasmcloud:builtin:logging",
                  "wasmcloud:builtin:numbergen"),
          "subscriber", List.of("wasmcloud:messaging"),
          "hasher", List.of("wasmcloud:httpserver"));

  @Test
  void everyCommittedActorVerifies() throws Exception {
    for (var e : CAPS.entrySet()) {
      Path p = DIST.resolve(e.getKey() + ".wasm");
      assertTrue(Files.isRegularFile(p), "missing " + p);
      SignedModule m = ModuleClaims.verify(Files.readAllBytes(p), Instant.now());
      assertEquals(e.getKey(), m.metadata().name());
      assertEquals(e.getValue(), m.metadata().capsOrEmpty(), e.getKey());
    }
    assertEquals(
        "wasmcloud/ponger",
        ModuleClaims.verify(Files.readAllBytes(DIST.resolve("ponger.wasm")), Instant.now())
            .metadata()
            .callAlias());
  }
}
