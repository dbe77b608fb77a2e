package io.trellis.wasmbus.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.internal.Hex;
import io.trellis.wasmbus.jwt.InvalidSignatureException;
import io.trellis.wasmbus.jwt.TokenExpiredException;
import io.trellis.wasmbus.jwt.TokenNotYetValidException;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleClaimsTest {
  static final KeyPair ACCOUNT = KeyPair.generate(KeyType.ACCOUNT);
  static final KeyPair MODULE = KeyPair.generate(KeyType.MODULE);
  static final Instant NOW = Instant.ofEpochSecond(1_767_225_600L);

  /** (module (func (export "f"))) plus a custom "name"-like section, as raw bytes. */
  static byte[] module() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(WasmSections.PREAMBLE);
    out.writeBytes(new byte[] {1, 4, 1, 0x60, 0, 0}); // type: () -> ()
    out.writeBytes(new byte[] {3, 2, 1, 0}); // func 0 : type 0
    out.writeBytes(new byte[] {7, 5, 1, 1, 'f', 0, 0}); // export "f"
    out.writeBytes(new byte[] {10, 4, 1, 2, 0, 0x0b}); // code
    out.writeBytes(WasmSections.customSection("producers", new byte[] {0}));
    return out.toByteArray();
  }

  static ActorMetadata meta() {
    return new ActorMetadata(
        "echo", null, List.of(), List.of("wasmcloud:httpserver"), 1, "0.1.0", null, false);
  }

  static byte[] signed(Long exp, Long nbf) {
    return ModuleClaims.sign(
        module(), meta(), ACCOUNT, MODULE, NOW.getEpochSecond(), "jti", exp, nbf);
  }

  @Test
  void signThenVerifyRoundTrips() {
    SignedModule m = ModuleClaims.verify(signed(null, null), NOW);
    assertEquals(MODULE.publicKey(), m.publicKey());
    assertEquals(ACCOUNT.publicKey(), m.claims().issuer());
    assertEquals(ModuleClaims.computeHash(module()), m.hash());
    assertEquals(List.of("wasmcloud:httpserver"), m.metadata().caps());
    assertEquals(3, m.claims().wascapRevision());
    assertEquals(1, m.claims().effectiveRevision());
  }

  @Test
  void hashIgnoresTheClaimsSectionAndMatchesRawBytesWithoutIt() {
    byte[] plain = module();
    assertEquals(Hex.sha256Upper(plain), ModuleClaims.computeHash(plain));
    assertEquals(Hex.sha256Upper(plain), ModuleClaims.computeHash(signed(null, null)));
  }

  @Test
  void hashReencodesNonMinimalSectionSizes() {
    byte[] plain = module();
    // type section with size 4 written as a 2-byte LEB128 (0x84 0x00)
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 9);
    out.writeBytes(new byte[] {(byte) 0x84, 0x00});
    out.write(plain, 10, plain.length - 10);
    assertEquals(ModuleClaims.computeHash(plain), ModuleClaims.computeHash(out.toByteArray()));
  }

  @Test
  void embedReplacesAnExistingSectionAndAcceptsTheNewName() {
    byte[] once = signed(null, null);
    byte[] twice =
        ModuleClaims.sign(
            once, meta(), ACCOUNT, MODULE, NOW.getEpochSecond() + 1, "jti2", null, null);
    long sections =
        WasmSections.parse(twice).stream().filter(ModuleClaims::isClaimsSection).count();
    assertEquals(1, sections);
    ModuleClaims.verify(twice, NOW);

    String token = ModuleClaims.findToken(once).orElseThrow();
    ByteArrayOutputStream renamed = new ByteArrayOutputStream();
    renamed.writeBytes(module());
    renamed.writeBytes(
        WasmSections.customSection("wasmcloud_jwt", token.getBytes(StandardCharsets.UTF_8)));
    assertEquals(MODULE.publicKey(), ModuleClaims.verify(renamed.toByteArray(), NOW).publicKey());
  }

  @Test
  void tamperedModuleIsRejectedWithBothHashes() {
    byte[] bytes = signed(null, null);
    byte[] tampered = bytes.clone();
    tampered[8 + 5] ^= 0x01; // inside the type section
    ModuleHashMismatchException e =
        assertThrows(ModuleHashMismatchException.class, () -> ModuleClaims.verify(tampered, NOW));
    assertTrue(e.getMessage().contains(ModuleClaims.computeHash(module())));
    assertTrue(e.getMessage().contains(ModuleClaims.computeHash(tampered)));
  }

  @Test
  void appendingASectionAfterSigningIsDetected() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(signed(null, null));
    out.writeBytes(WasmSections.customSection("evil", new byte[] {1, 2, 3}));
    assertThrows(
        ModuleHashMismatchException.class, () -> ModuleClaims.verify(out.toByteArray(), NOW));
  }

  @Test
  void expiredAndNotYetValidAreRejected() {
    assertThrows(
        TokenExpiredException.class,
        () -> ModuleClaims.verify(signed(NOW.getEpochSecond() - 3600, null), NOW));
    assertThrows(
        TokenNotYetValidException.class,
        () -> ModuleClaims.verify(signed(null, NOW.getEpochSecond() + 3600), NOW));
  }

  @Test
  void forgedSignatureIsRejected() {
    byte[] good = signed(null, null);
    String token = ModuleClaims.findToken(good).orElseThrow();
    KeyPair other = KeyPair.generate(KeyType.ACCOUNT);
    String[] p = token.split("\\.");
    // same claims (naming ACCOUNT as issuer) but signed by another key
    String forged =
        io.trellis.wasmbus.jwt.Jwt.sign(java.util.Base64.getUrlDecoder().decode(p[1]), other);
    byte[] bad = ModuleClaims.embed(module(), forged);
    assertThrows(InvalidSignatureException.class, () -> ModuleClaims.verify(bad, NOW));
  }

  @Test
  void missingClaimsAndGarbageAreNamed() {
    NoClaimsException e =
        assertThrows(NoClaimsException.class, () -> ModuleClaims.verify(module(), NOW));
    assertTrue(e.getMessage().startsWith("No claims found in source module"));
    assertEquals(Optional.empty(), ModuleClaims.findToken(module()));
    assertThrows(
        MalformedModuleException.class, () -> ModuleClaims.verify("hello world!".getBytes(), NOW));
    assertThrows(
        MalformedModuleException.class,
        () -> ModuleClaims.verify(new byte[] {0, 'a', 's', 'm'}, NOW));
    byte[] truncated = java.util.Arrays.copyOf(signed(null, null), 40);
    assertThrows(MalformedModuleException.class, () -> ModuleClaims.verify(truncated, NOW));
  }

  @Test
  void signingNeedsAccountIssuerAndModuleSubject() {
    assertThrows(
        InvalidKeyException.class,
        () -> ModuleClaims.sign(module(), meta(), MODULE, MODULE, 1, "j", null, null));
    assertThrows(
        InvalidKeyException.class,
        () -> ModuleClaims.sign(module(), meta(), ACCOUNT, ACCOUNT, 1, "j", null, null));
  }

  @Test
  void callAliasIsNormalisedLikeWascap() {
    assertEquals("wasmcloud/ponger", ActorMetadata.normalizeCallAlias(" WasmCloud/Ponger "));
    assertEquals("my_cool_actor", ActorMetadata.normalizeCallAlias("my-cool.actor"));
    assertEquals("ab", ActorMetadata.normalizeCallAlias("aé b".replace(" ", "")));
  }

  @Test
  void signedModuleDiffersOnlyByTheAppendedSection() {
    byte[] plain = module();
    byte[] s = signed(null, null);
    assertNotEquals(plain.length, s.length);
    assertEquals(Hex.upper(plain), Hex.upper(java.util.Arrays.copyOf(s, plain.length)));
  }
}
