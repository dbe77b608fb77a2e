package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ClaimsCodec;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.claims.WasmSections;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimsCommandTest {
  @TempDir Path dir;

  Path plainModule() throws Exception {
    Path p = dir.resolve("actor.wasm");
    byte[] m = new byte[WasmSections.PREAMBLE.length + 6];
    System.arraycopy(WasmSections.PREAMBLE, 0, m, 0, 8);
    System.arraycopy(new byte[] {1, 4, 1, 0x60, 0, 0}, 0, m, 8, 6);
    Files.write(p, m);
    return p;
  }

  @Test
  void keysGenWritesSeedFileWithMode600AndNeverOverwrites() throws Exception {
    Path seed = dir.resolve("k/account.nk");
    CliRunner.Result r =
        CliRunner.run("keys", "gen", "account", "--out", seed.toString(), "-o", "json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertTrue(j.get("public_key").asText().startsWith("A"));
    assertFalse(r.out().contains("\"seed\""), "seed must not be printed when written to a file");
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(seed));
    assertEquals(
        j.get("public_key").asText(), KeyPair.fromSeed(Files.readString(seed)).publicKey());
    CliRunner.Result again = CliRunner.run("keys", "gen", "account", "--out", seed.toString());
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("already exists"), again.err());
  }

  @Test
  void keysGenPrintsEveryType() {
    for (String t :
        new String[] {"account", "module", "service", "server", "cluster", "user", "operator"}) {
      CliRunner.Result r = CliRunner.run("keys", "gen", t);
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(r.out().contains("Seed: S"), r.out());
    }
    CliRunner.Result bad = CliRunner.run("keys", "gen", "wizard");
    assertEquals(1, bad.exitCode());
    assertTrue(bad.err().startsWith("error: unknown key type 'wizard'"), bad.err());
  }

  @Test
  void signThenInspectRoundTrips() throws Exception {
    Path module = plainModule();
    Path acct = dir.resolve("acct.nk");
    Path mod = dir.resolve("mod.nk");
    assertEquals(0, CliRunner.run("keys", "gen", "account", "--out", acct.toString()).exitCode());
    assertEquals(0, CliRunner.run("keys", "gen", "module", "--out", mod.toString()).exitCode());
    Path out = dir.resolve("signed.wasm");
    CliRunner.Result s =
        CliRunner.run(
            "claims",
            "sign",
            module.toString(),
            "-d",
            out.toString(),
            "--name",
            "echo",
            "--cap",
            "wasmcloud:httpserver",
            "--cap",
            "wasmcloud:keyvalue",
            "--issuer",
            acct.toString(),
            "--subject",
            mod.toString(),
            "--rev",
            "3",
            "--ver",
            "1.2.3",
            "--call-alias",
            "My-Echo",
            "--expires-in",
            "30",
            "--tag",
            "demo");
    assertEquals(0, s.exitCode(), s.err());
    var verified = ModuleClaims.verify(Files.readAllBytes(out), Instant.now());
    assertEquals(KeyPair.fromSeed(Files.readString(mod)).publicKey(), verified.publicKey());
    assertEquals("my_echo", verified.metadata().callAlias());

    CliRunner.Result text = CliRunner.run("claims", "inspect", out.toString());
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().contains("wasmcloud:httpserver, wasmcloud:keyvalue"), text.out());
    assertTrue(text.out().contains("Signature     valid"), text.out());
    assertTrue(text.out().contains("Hash Check    valid"), text.out());
    JsonNode j =
        Json.MAPPER.readTree(
            CliRunner.run("claims", "inspect", out.toString(), "-o", "json").out());
    assertEquals("echo", j.get("name").asText());
    assertEquals(3, j.get("revision").asInt());
    assertEquals("1.2.3", j.get("version").asText());
    assertTrue(j.get("valid").asBoolean());
    assertEquals(verified.hash(), j.get("hash").asText());
  }

  @Test
  void inspectReportsATamperedModuleAndExits1() throws Exception {
    Path module = plainModule();
    Path out = dir.resolve("signed.wasm");
    Path keys = dir.resolve("keys");
    CliRunner.Result s =
        CliRunner.run(
            "claims",
            "sign",
            module.toString(),
            "-d",
            out.toString(),
            "--name",
            "x",
            "--issuer",
            KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.ACCOUNT).seed(),
            "--subject",
            KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.MODULE).seed());
    assertEquals(0, s.exitCode(), s.err());
    byte[] b = Files.readAllBytes(out);
    b[12] ^= 1;
    Files.write(out, b);
    CliRunner.Result r = CliRunner.run("claims", "inspect", out.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.out().contains("Hash Check    INVALID"), r.out());
    assertTrue(r.out().contains("NOT VALID: module hash does not match"), r.out());
    assertFalse(Files.exists(keys));
  }

  @Test
  void inspectDoesNotCallTheSignatureOfAMalformedTokenValid() throws Exception {
    // Correctly signed by its issuer, but the subject is a service key: verify rejects the claims
    // as malformed before it ever checks the signature.
    byte[] module = Files.readAllBytes(plainModule());
    KeyPair account = KeyPair.generate(KeyType.ACCOUNT);
    String service = KeyPair.generate(KeyType.SERVICE).publicKey();
    ActorMetadata meta =
        new ActorMetadata("x", null, null, null, null, null, null, false)
            .withHash(ModuleClaims.computeHash(module));
    Claims<ActorMetadata> claims =
        new Claims<>(
            "jti",
            Instant.now().getEpochSecond(),
            account.publicKey(),
            service,
            null,
            null,
            meta,
            3);
    Path out = dir.resolve("malformed.wasm");
    Files.write(out, ModuleClaims.embed(module, Jwt.sign(ClaimsCodec.toJson(claims), account)));

    CliRunner.Result text = CliRunner.run("claims", "inspect", out.toString());
    assertEquals(1, text.exitCode(), text.err());
    assertTrue(text.out().contains("Signature     NOT CHECKED"), text.out());
    assertTrue(
        text.out()
            .contains("NOT VALID: actor claims subject '" + service + "' is not a module key"),
        text.out());
    JsonNode j =
        Json.MAPPER.readTree(
            CliRunner.run("claims", "inspect", out.toString(), "-o", "json").out());
    assertFalse(j.get("signature_valid").asBoolean(), j.toPrettyString());
    assertTrue(
        j.get("hash_valid").asBoolean(),
        "the hash is still checked and shown: " + j.toPrettyString());
    assertFalse(j.get("valid").asBoolean());
  }

  @Test
  void inspectReportsABadSignatureAsInvalid() throws Exception {
    Path module = plainModule();
    Path out = dir.resolve("signed.wasm");
    CliRunner.Result s =
        CliRunner.run(
            "claims",
            "sign",
            module.toString(),
            "-d",
            out.toString(),
            "--name",
            "x",
            "--issuer",
            KeyPair.generate(KeyType.ACCOUNT).seed(),
            "--subject",
            KeyPair.generate(KeyType.MODULE).seed());
    assertEquals(0, s.exitCode(), s.err());
    byte[] bytes = Files.readAllBytes(out);
    String token = ModuleClaims.findToken(bytes).orElseThrow();
    // the same claims, naming the same issuer, but signed by another account's key
    String forged = Jwt.sign(Jwt.decode(token).claimsJson(), KeyPair.generate(KeyType.ACCOUNT));
    Files.write(out, ModuleClaims.embed(bytes, forged));

    CliRunner.Result text = CliRunner.run("claims", "inspect", out.toString());
    assertEquals(1, text.exitCode(), text.err());
    assertTrue(text.out().contains("Signature     INVALID"), text.out());
    assertTrue(text.out().contains("Hash Check    valid"), text.out());
    assertTrue(text.out().contains("NOT VALID: claims signature does not verify"), text.out());
  }

  @Test
  void signWithoutKeysGeneratesThemInTheKeysDir() throws Exception {
    // TRELLIS_KEYS_DIR cannot be set from a test; exercise the documented default (keys in the
    // Trellis directory).
    // $HOME wins over user.home, so the Trellis directory is redirected with its own property.
    System.setProperty("trellis.home", dir.resolve(".trellis").toString());
    try {
      Path out = dir.resolve("auto.wasm");
      CliRunner.Result r =
          CliRunner.run(
              "claims",
              "sign",
              plainModule().toString(),
              "-d",
              out.toString(),
              "--name",
              "Auto Actor");
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(Files.exists(dir.resolve(".trellis/keys/auto_actor_account.nk")));
      assertTrue(Files.exists(dir.resolve(".trellis/keys/auto_actor_module.nk")));
      assertTrue(r.err().contains("generated account key"), r.err());
      CliRunner.Result again =
          CliRunner.run(
              "claims",
              "sign",
              plainModule().toString(),
              "-d",
              out.toString(),
              "--name",
              "Auto Actor");
      assertFalse(again.err().contains("generated"), "existing keys are reused");
    } finally {
      System.clearProperty("trellis.home");
    }
  }

  @Test
  void badInputGivesOneLineErrors() throws Exception {
    CliRunner.Result missing =
        CliRunner.run("claims", "inspect", dir.resolve("nope.wasm").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().startsWith("error: no such file"), missing.err());
    assertFalse(missing.err().contains("\tat "), "no stack trace without --verbose");
    CliRunner.Result unsigned = CliRunner.run("claims", "inspect", plainModule().toString());
    assertEquals(1, unsigned.exitCode());
    assertTrue(unsigned.err().contains("No claims found"), unsigned.err());
    Path notWasm = dir.resolve("x.wasm");
    Files.writeString(notWasm, "hello");
    CliRunner.Result garbage =
        CliRunner.run(
            "claims",
            "sign",
            notWasm.toString(),
            "--name",
            "x",
            "--issuer",
            KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.ACCOUNT).seed(),
            "--subject",
            KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.MODULE).seed());
    assertEquals(1, garbage.exitCode());
    assertTrue(garbage.err().contains("not a WebAssembly module"), garbage.err());
    CliRunner.Result wrongKey =
        CliRunner.run(
            "claims",
            "sign",
            plainModule().toString(),
            "--name",
            "x",
            "--issuer",
            KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.MODULE).seed(),
            "--subject",
            KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.MODULE).seed());
    assertEquals(1, wrongKey.exitCode());
    assertTrue(wrongKey.err().contains("issuer must be a account"), wrongKey.err());
    CliRunner.Result usage = CliRunner.run("claims", "sign");
    assertEquals(2, usage.exitCode());
    CliRunner.Result badDuration =
        CliRunner.run(
            "claims",
            "sign",
            plainModule().toString(),
            "--name",
            "x",
            "--issuer",
            KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.ACCOUNT).seed(),
            "--subject",
            KeyPair.generate(io.trellis.wasmbus.nkeys.KeyType.MODULE).seed(),
            "--expires-in",
            "soon");
    assertEquals(1, badDuration.exitCode());
    assertTrue(badDuration.err().contains("--expires-in 'soon'"), badDuration.err());
  }
}
