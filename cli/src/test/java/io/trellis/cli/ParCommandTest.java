package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import io.trellis.wasmbus.par.Targets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParCommandTest {
  @TempDir Path dir;

  /** {@code trellis par ...} through the real entry point, with its error handling. */
  static CliRunner.Result par(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "par";
    System.arraycopy(args, 0, full, 1, args.length);
    return CliRunner.run(full);
  }

  Path binary() throws Exception {
    Path b = dir.resolve("provider.bin");
    Files.writeString(b, "#!/bin/sh\necho provider\n");
    return b;
  }

  @Test
  void createThenInspectRoundTrips() throws Exception {
    KeyPair account = KeyPair.generate(KeyType.ACCOUNT);
    KeyPair service = KeyPair.generate(KeyType.SERVICE);
    Path seed = dir.resolve("service.nk");
    Files.writeString(seed, service.seed() + "\n");
    Path out = dir.resolve("out/http.par.gz");
    CliRunner.Result c =
        par(
            "create",
            "--binary",
            binary().toString(),
            "--capid",
            "wasmcloud:httpserver",
            "--name",
            "HTTP Server",
            "--vendor",
            "Trellis",
            "--arch",
            "x86_64-linux",
            "--arch",
            "aarch64-linux",
            "--rev",
            "2",
            "--ver",
            "0.1.0",
            "--issuer",
            account.seed(),
            "--subject",
            seed.toString(),
            "--destination",
            out.toString(),
            "--compress");
    assertEquals(0, c.exitCode(), c.err());
    assertTrue(c.out().contains("Provider key: " + service.publicKey()), c.out());
    byte[] bytes = Files.readAllBytes(out);
    assertEquals(0x1f, bytes[0] & 0xff, "--compress writes gzip");
    ProviderArchive par = ProviderArchive.read(bytes);
    assertEquals(account.publicKey(), par.issuer());

    CliRunner.Result text = par("inspect", out.toString());
    assertEquals(0, text.exitCode(), text.err() + text.out());
    assertTrue(text.out().contains("Capability Contract  wasmcloud:httpserver"), text.out());
    assertTrue(text.out().contains("Service Key          " + service.publicKey()), text.out());
    assertTrue(text.out().contains("aarch64-linux"), text.out());
    assertTrue(text.out().contains("Valid: signature"), text.out());

    JsonNode j = Json.MAPPER.readTree(par("inspect", out.toString(), "-o", "json").out());
    assertEquals("HTTP Server", j.get("name").asText());
    assertEquals("Trellis", j.get("vendor").asText());
    assertEquals(2, j.get("revision").asInt());
    assertEquals("0.1.0", j.get("version").asText());
    assertEquals(2, j.get("targets").size());
    assertTrue(j.get("valid").asBoolean());
  }

  @Test
  void inspectReportsATamperedBinaryAndExits1() throws Exception {
    Path out = dir.resolve("x.par");
    CliRunner.Result c =
        par(
            "create",
            "--binary",
            binary().toString(),
            "--capid",
            "wasmcloud:keyvalue",
            "--name",
            "kv",
            "--vendor",
            "v",
            "--issuer",
            KeyPair.generate(KeyType.ACCOUNT).seed(),
            "--subject",
            KeyPair.generate(KeyType.SERVICE).seed(),
            "--destination",
            out.toString());
    assertEquals(0, c.exitCode(), c.err());
    byte[] tar = Files.readAllBytes(out);
    assertFalse((tar[0] & 0xff) == 0x1f, "without --compress the archive is a plain tar");
    String s =
        new String(tar, StandardCharsets.ISO_8859_1).replace("echo provider", "echo PROVIDER");
    Files.write(out, s.getBytes(StandardCharsets.ISO_8859_1));
    CliRunner.Result r = par("inspect", out.toString());
    assertEquals(1, r.exitCode());
    assertTrue(
        r.out().contains(Targets.current()) && r.out().contains("INVALID (binary hashes to"),
        r.out());
    assertTrue(
        r.out().contains("NOT VALID: provider archive binary for target " + Targets.current()),
        r.out());
  }

  @Test
  void createWithoutKeysGeneratesThemInTheKeysDir() throws Exception {
    // $HOME wins over user.home, so the Trellis directory is redirected with its own property.
    System.setProperty("trellis.home", dir.resolve(".trellis").toString());
    try {
      Path out = dir.resolve("auto.par.gz");
      CliRunner.Result r =
          par(
              "create",
              "--binary",
              binary().toString(),
              "--capid",
              "wasmcloud:messaging",
              "--name",
              "My Msg",
              "--vendor",
              "me",
              "--destination",
              out.toString(),
              "--compress");
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(Files.exists(dir.resolve(".trellis/keys/my_msg_account.nk")));
      assertTrue(Files.exists(dir.resolve(".trellis/keys/my_msg_service.nk")));
      assertTrue(r.err().contains("generated service key"), r.err());
      String pk =
          KeyPair.fromSeed(Files.readString(dir.resolve(".trellis/keys/my_msg_service.nk")))
              .publicKey();
      assertEquals(pk, ProviderArchive.read(Files.readAllBytes(out)).publicKey());
    } finally {
      System.clearProperty("trellis.home");
    }
  }

  @Test
  void badInputGivesOneLineErrors() throws Exception {
    CliRunner.Result missing = par("inspect", dir.resolve("nope.par").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().startsWith("error: no such file"), missing.err());
    Path junk = dir.resolve("junk.par");
    Files.writeString(junk, "not an archive".repeat(100));
    CliRunner.Result notTar = par("inspect", junk.toString());
    assertEquals(1, notTar.exitCode());
    assertTrue(notTar.err().contains("neither a tar nor a gzipped tar"), notTar.err());
    assertFalse(notTar.err().contains("\tat "), "no stack trace without --verbose");
    CliRunner.Result wrongKey =
        par(
            "create",
            "--binary",
            binary().toString(),
            "--capid",
            "c",
            "--name",
            "n",
            "--vendor",
            "v",
            "--issuer",
            KeyPair.generate(KeyType.ACCOUNT).seed(),
            "--subject",
            KeyPair.generate(KeyType.MODULE).seed(),
            "--destination",
            dir.resolve("y.par").toString());
    assertEquals(1, wrongKey.exitCode());
    assertTrue(wrongKey.err().contains("subject must be a service"), wrongKey.err());
    assertEquals(
        2,
        par("create", "--binary", binary().toString()).exitCode(),
        "missing options are usage errors");
  }
}
