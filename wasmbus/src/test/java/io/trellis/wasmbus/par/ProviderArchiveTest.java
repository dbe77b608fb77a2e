package io.trellis.wasmbus.par;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderArchiveTest {
  final KeyPair account = KeyPair.generate(KeyType.ACCOUNT);
  final KeyPair service = KeyPair.generate(KeyType.SERVICE);
  final byte[] linux = "#!/bin/sh\necho x86\n".getBytes(StandardCharsets.UTF_8);
  final byte[] arm = "#!/bin/sh\necho arm\n".getBytes(StandardCharsets.UTF_8);

  ProviderArchive signed() {
    return ProviderArchive.builder("wasmcloud:httpserver", "HTTP Server", "Trellis")
        .rev(3)
        .ver("0.1.0")
        .binary("x86_64-linux", linux)
        .binary("aarch64-linux", arm)
        .sign(account, service);
  }

  @Test
  void signThenReadRoundTripsGzipAndPlainTar() {
    ProviderArchive par = signed();
    for (boolean gzip : new boolean[] {true, false}) {
      byte[] bytes = par.toBytes(gzip);
      assertEquals(gzip, TarEntries.isGzip(bytes));
      ProviderArchive back = ProviderArchive.read(bytes);
      assertEquals(service.publicKey(), back.publicKey());
      assertEquals(account.publicKey(), back.issuer());
      assertEquals("wasmcloud:httpserver", back.capabilityContractId());
      assertEquals("HTTP Server", back.metadata().name());
      assertEquals("Trellis", back.metadata().vendor());
      assertEquals(3, back.metadata().rev());
      assertEquals("0.1.0", back.metadata().ver());
      assertEquals(3, back.claims().effectiveRevision());
      assertEquals(Set.of("x86_64-linux", "aarch64-linux"), back.targets());
      assertArrayEquals(linux, back.binary("x86_64-linux"));
      assertArrayEquals(arm, back.binary("aarch64-linux"));
      assertEquals(ProviderArchive.hash(linux), back.metadata().targetHashes().get("x86_64-linux"));
    }
  }

  @Test
  void aTamperedBinaryNamesTheTargetAndBothHashes() {
    Map<String, byte[]> entries = entriesOf(signed());
    byte[] evil = "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8);
    entries.put("x86_64-linux.bin", evil);
    byte[] bytes = TarEntries.write(entries, 0, true);
    BinaryHashMismatchException e =
        assertThrows(BinaryHashMismatchException.class, () -> ProviderArchive.read(bytes));
    assertEquals("x86_64-linux", e.target());
    assertTrue(e.getMessage().contains(ProviderArchive.hash(linux)), e.getMessage());
    assertTrue(e.getMessage().contains(ProviderArchive.hash(evil)), e.getMessage());
    // parse alone does not verify, so tools can still show the archive
    assertEquals(service.publicKey(), ProviderArchive.parse(bytes).publicKey());
  }

  @Test
  void aBinaryWithoutAHashIsRejected() {
    Map<String, byte[]> entries = entriesOf(signed());
    entries.put("riscv64-linux.bin", linux);
    BinaryHashMismatchException e =
        assertThrows(
            BinaryHashMismatchException.class,
            () -> ProviderArchive.read(TarEntries.write(entries, 0, false)));
    assertTrue(e.getMessage().contains("riscv64-linux.bin has no hash"), e.getMessage());
  }

  @Test
  void aMissingTargetListsWhatIsThere() {
    ProviderArchive par = ProviderArchive.read(signed().toBytes(true));
    NoBinaryForTargetException e =
        assertThrows(NoBinaryForTargetException.class, () -> par.binary("x86_64-windows"));
    assertTrue(e.getMessage().contains("x86_64-windows"), e.getMessage());
    assertTrue(e.getMessage().contains("aarch64-linux, x86_64-linux"), e.getMessage());
  }

  @Test
  void missingClaimsAndNonTarsAreNamed() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("x86_64-linux.bin", linux);
    MissingArchiveClaimsException m =
        assertThrows(
            MissingArchiveClaimsException.class,
            () -> ProviderArchive.read(TarEntries.write(entries, 0, true)));
    assertTrue(
        m.getMessage().contains("claims.jwt") && m.getMessage().contains("x86_64-linux.bin"),
        m.getMessage());
    MalformedArchiveException notTar =
        assertThrows(
            MalformedArchiveException.class,
            () ->
                ProviderArchive.read(
                    "hello, this is not a tar".repeat(40).getBytes(StandardCharsets.UTF_8)));
    assertTrue(
        notTar.getMessage().contains("neither a tar nor a gzipped tar"), notTar.getMessage());
    MalformedArchiveException badGzip =
        assertThrows(
            MalformedArchiveException.class,
            () -> ProviderArchive.read(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}));
    assertTrue(badGzip.getMessage().contains("gzip"), badGzip.getMessage());
    assertThrows(MalformedArchiveException.class, () -> ProviderArchive.read(new byte[0]));
  }

  @Test
  void badSignaturesAndExpiredTokensAreRejected() {
    Map<String, byte[]> entries = entriesOf(signed());
    ProviderArchive other =
        ProviderArchive.builder("wasmcloud:httpserver", "HTTP Server", "Trellis")
            .binary("x86_64-linux", linux)
            .binary("aarch64-linux", arm)
            .sign(KeyPair.generate(KeyType.ACCOUNT), service);
    // someone else's signature over our claims: splice their signature segment onto our token
    String ours = new String(entries.get("claims.jwt"), StandardCharsets.UTF_8);
    String theirs = other.token();
    String forged =
        ours.substring(0, ours.lastIndexOf('.')) + theirs.substring(theirs.lastIndexOf('.'));
    entries.put("claims.jwt", forged.getBytes(StandardCharsets.UTF_8));
    InvalidArchiveClaimsException bad =
        assertThrows(
            InvalidArchiveClaimsException.class,
            () -> ProviderArchive.read(TarEntries.write(entries, 0, true)));
    assertTrue(bad.getMessage().contains("does not verify"), bad.getMessage());

    long now = Instant.now().getEpochSecond();
    ProviderArchive expired =
        ProviderArchive.builder("wasmcloud:httpserver", "x", "v")
            .issuedAt(now - 7200)
            .expires(now - 3600)
            .binary("x86_64-linux", linux)
            .sign(account, service);
    InvalidArchiveClaimsException exp =
        assertThrows(
            InvalidArchiveClaimsException.class,
            () -> ProviderArchive.read(expired.toBytes(false)));
    assertTrue(exp.getMessage().contains("expired"), exp.getMessage());

    entries.put("claims.jwt", "garbage".getBytes(StandardCharsets.UTF_8));
    assertThrows(
        InvalidArchiveClaimsException.class,
        () -> ProviderArchive.parse(TarEntries.write(entries, 0, false)));
  }

  @Test
  void targetsFollowRustNaming() {
    assertEquals("x86_64-linux", Targets.of("amd64", "Linux"));
    assertEquals("aarch64-linux", Targets.of("aarch64", "Linux"));
    assertEquals("aarch64-macos", Targets.of("aarch64", "Mac OS X"));
    assertEquals("x86_64-windows", Targets.of("amd64", "Windows 11"));
    assertTrue(Targets.isValid(Targets.current()), Targets.current());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProviderArchive.builder("c", "n", "v").binary("../etc", linux));
    assertThrows(
        io.trellis.wasmbus.nkeys.InvalidKeyException.class,
        () ->
            ProviderArchive.builder("c", "n", "v")
                .binary("x86_64-linux", linux)
                .sign(service, service));
    List.of(ProviderArchive.CLAIMS_ENTRY).forEach(n -> assertEquals("claims.jwt", n));
  }

  private static Map<String, byte[]> entriesOf(ProviderArchive par) {
    return TarEntries.read(par.toBytes(false));
  }
}
