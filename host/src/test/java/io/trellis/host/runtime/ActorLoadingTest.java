package io.trellis.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.claims.MalformedModuleException;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.claims.ModuleHashMismatchException;
import io.trellis.wasmbus.claims.NoClaimsException;
import io.trellis.wasmbus.jwt.InvalidSignatureException;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.jwt.TokenExpiredException;
import io.trellis.wasmbus.jwt.TokenNotYetValidException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ActorLoadingTest {
  static final ActorRuntime RT =
      new ActorRuntime(RuntimeOptions.defaults(), HostCallRouter.unlinked());

  @AfterAll
  static void close() {
    RT.close();
  }

  @Test
  void everySampleActorLoadsAndStarts() {
    for (String name :
        new String[] {
          "echo",
          "echo_unprivileged",
          "kvcounter",
          "pinger",
          "ponger",
          "fetch",
          "logger",
          "subscriber",
          "hasher"
        }) {
      ActorModule m = RT.load(Fixtures.dist(name));
      assertEquals(name, m.name());
      assertTrue(m.publicKey().startsWith("M"));
      Actor a = RT.start(m, 1, Map.of());
      InvocationResult r = a.invoke("Actor.HealthRequest", new byte[] {(byte) 0x80});
      assertEquals(
          "81a76865616c746879c3",
          java.util.HexFormat.of().formatHex(((InvocationResult.Success) r).payload()),
          name);
      a.stop(java.time.Duration.ofSeconds(1));
    }
  }

  @Test
  void unsignedModuleIsRejected() {
    NoClaimsException e =
        assertThrows(NoClaimsException.class, () -> RT.load(Fixtures.wat("trap")));
    assertTrue(e.getMessage().startsWith("No claims found in source module"));
  }

  @Test
  void tamperedModuleIsRejected() {
    byte[] bytes = Fixtures.dist("echo").clone();
    bytes[bytes.length / 3] ^= 0x5a; // inside the code section, far from the claims at the end
    assertThrows(ModuleHashMismatchException.class, () -> RT.load(bytes));
  }

  @Test
  void badSignatureIsRejected() {
    byte[] good = Fixtures.signedWat("trap");
    String token = ModuleClaims.findToken(good).orElseThrow();
    String[] p = token.split("\\.");
    String forged =
        Jwt.sign(java.util.Base64.getUrlDecoder().decode(p[1]), KeyPair.generate(KeyType.ACCOUNT));
    assertThrows(
        InvalidSignatureException.class,
        () -> RT.load(ModuleClaims.embed(Fixtures.wat("trap"), forged)));
  }

  @Test
  void expiredAndNotYetValidAreRejected() {
    long now = Instant.now().getEpochSecond();
    byte[] expired =
        Fixtures.sign(
            Fixtures.wat("trap"), "x", KeyPair.generate(KeyType.MODULE), now - 3600, null);
    assertThrows(TokenExpiredException.class, () -> RT.load(expired));
    byte[] early =
        Fixtures.sign(
            Fixtures.wat("trap"), "x", KeyPair.generate(KeyType.MODULE), null, now + 3600);
    assertThrows(TokenNotYetValidException.class, () -> RT.load(early));
  }

  @Test
  void garbageIsRejectedWithAClearError() {
    assertThrows(MalformedModuleException.class, () -> RT.load("definitely not wasm".getBytes()));
    // well-formed sections, but the type section content is nonsense
    byte[] junk = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    byte[] signed = Fixtures.sign(junk, "junk", KeyPair.generate(KeyType.MODULE), null, null);
    ActorLoadException e = assertThrows(ActorLoadException.class, () -> RT.load(signed));
    assertTrue(e.getMessage().contains("is not a valid WebAssembly module"), e.getMessage());
  }

  @Test
  void moduleWithoutGuestCallIsNotAnActor() {
    ActorLoadException e =
        assertThrows(ActorLoadException.class, () -> RT.load(Fixtures.signedWat("no_guest_call")));
    assertTrue(e.getMessage().contains("does not export __guest_call"), e.getMessage());
  }

  @Test
  void wrongImportSignatureIsNamed() {
    ActorLoadException e =
        assertThrows(ActorLoadException.class, () -> RT.load(Fixtures.signedWat("bad_import")));
    assertTrue(e.getMessage().contains("wasmbus.__host_call"), e.getMessage());
  }

  @Test
  void sameModuleSharesCompiledCode() {
    byte[] bytes = Fixtures.dist("ponger");
    ActorModule a = RT.load(bytes);
    ActorModule b = RT.load(bytes);
    assertSame(a.code(), b.code());
    assertTrue(RT.moduleCache().users(a.hash()) >= 2);
    int before = RT.moduleCache().users(a.hash());
    RT.release(b);
    assertEquals(before - 1, RT.moduleCache().users(a.hash()));
  }
}
