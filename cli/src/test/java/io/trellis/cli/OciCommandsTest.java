package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.cli.ctl.CliLattice;
import io.trellis.host.config.TrellisDirs;
import io.trellis.oci.MediaTypes;
import io.trellis.testkit.OciRegistry;
import io.trellis.testkit.RawOci;
import io.trellis.wasmbus.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trellis push}, {@code pull}, {@code claims inspect} and {@code par inspect} with registry
 * references, and {@code ctl start}/{@code update} from the registry, against a real registry.
 */
class OciCommandsTest {
  static final Path ECHO = Path.of(CliLattice.ECHO);
  static final Path PAR = Path.of("../capability-providers/dist/keyvalue.par.gz");
  @TempDir static Path dir;
  static OciRegistry reg;
  static RawOci raw;
  static CliLattice lattice;
  static String previousHome;

  @BeforeAll
  static void up() {
    // the CLI's cache lives in the Trellis directory: keep it in the test's temp dir
    previousHome = System.getProperty(TrellisDirs.HOME_PROPERTY);
    System.setProperty(TrellisDirs.HOME_PROPERTY, dir.resolve("cli-home").toString());
    reg = OciRegistry.start();
    raw = new RawOci(reg);
    lattice =
        new CliLattice(
            dir,
            List.of(
                Map.of(
                    "WASMCLOUD_OCI_ALLOWED_INSECURE",
                    reg.host(),
                    "TRELLIS_HOME",
                    dir.resolve("host-home").toString())));
  }

  @AfterAll
  static void down() {
    if (previousHome == null) {
      System.clearProperty(TrellisDirs.HOME_PROPERTY);
    } else {
      System.setProperty(TrellisDirs.HOME_PROPERTY, previousHome);
    }
    if (lattice != null) {
      lattice.close();
    }
    reg.close();
  }

  @Test
  void pushPrintsTheDigestAndWritesWashsLayout() throws Exception {
    String ref = reg.host() + "/cli/echo:0.1.0";
    CliRunner.Result r =
        CliRunner.run(
            "push", ref, ECHO.toString(), "--insecure", "-a", "org.opencontainers.image.source=x");
    assertEquals(0, r.exitCode(), r.err());
    String digest = RawOci.sha256(raw.manifest("cli/echo", "0.1.0"));
    assertEquals(
        "Pushed actor module echo.wasm ("
            + Files.size(ECHO)
            + " bytes) to "
            + ref
            + "\nDigest: "
            + digest
            + "\n",
        r.out());
    JsonNode m = Json.MAPPER.readTree(raw.manifest("cli/echo", "0.1.0"));
    assertEquals(MediaTypes.ACTOR_LAYER, m.get("layers").get(0).get("mediaType").asText());
    assertEquals("x", m.get("annotations").get("org.opencontainers.image.source").asText());

    CliRunner.Result json =
        CliRunner.run(
            "push", reg.host() + "/cli/kv:0.1.0", PAR.toString(), "--insecure", "-o", "json");
    assertEquals(0, json.exitCode(), json.err());
    JsonNode j = Json.MAPPER.readTree(json.out());
    assertEquals("provider", j.get("kind").asText());
    assertEquals(RawOci.sha256(raw.manifest("cli/kv", "0.1.0")), j.get("digest").asText());
    assertEquals(
        MediaTypes.PROVIDER_LAYER,
        Json.MAPPER
            .readTree(raw.manifest("cli/kv", "0.1.0"))
            .get("layers")
            .get(0)
            .get("mediaType")
            .asText());
  }

  @Test
  void pushRefusesLatestNonArtifactsAndPlainHttpWithoutInsecure() throws Exception {
    CliRunner.Result latest =
        CliRunner.run("push", reg.host() + "/cli/echo", ECHO.toString(), "--insecure");
    assertEquals(1, latest.exitCode());
    assertTrue(latest.err().contains("give a version tag, or pass --allow-latest"), latest.err());
    assertEquals(
        0,
        CliRunner.run(
                "push",
                reg.host() + "/cli/echo:latest",
                ECHO.toString(),
                "--insecure",
                "--allow-latest")
            .exitCode());

    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello");
    CliRunner.Result odd =
        CliRunner.run("push", reg.host() + "/cli/x:1", text.toString(), "--insecure");
    assertEquals(1, odd.exitCode());
    assertTrue(
        odd.err().startsWith("error: " + text + " is neither a wasm module nor a provider archive"),
        odd.err());

    CliRunner.Result tls = CliRunner.run("push", reg.host() + "/cli/x:1", ECHO.toString());
    assertEquals(1, tls.exitCode());
    assertTrue(tls.err().contains("TLS with " + reg.host() + " failed"), tls.err());
  }

  @Test
  void pullWritesTheFileAndInspectReadsFromTheRegistry() throws Exception {
    String ref = reg.host() + "/cli/pulled:1.0.0";
    assertEquals(0, CliRunner.run("push", ref, ECHO.toString(), "--insecure").exitCode());
    Path out = dir.resolve("out/echo-copy.wasm");
    CliRunner.Result pull = CliRunner.run("pull", ref, "-o", out.toString(), "--insecure");
    assertEquals(0, pull.exitCode(), pull.err());
    assertArrayEquals(Files.readAllBytes(ECHO), Files.readAllBytes(out));
    assertTrue(pull.out().startsWith("Pulled actor module " + ref + " ("), pull.out());
    assertTrue(
        Files.isDirectory(dir.resolve("cli-home").resolve("cache").resolve("oci").resolve("blobs")),
        "the CLI pulls through the cache in the Trellis directory");
    CliRunner.Result again =
        CliRunner.run("pull", ref, "-o", out.toString(), "--insecure", "--output", "json");
    assertEquals("cache", Json.MAPPER.readTree(again.out()).get("source").asText());

    CliRunner.Result claims = CliRunner.run("claims", "inspect", ref, "--insecure");
    assertEquals(0, claims.exitCode(), claims.err());
    assertTrue(claims.out().contains("Signature") && claims.out().contains("valid"), claims.out());

    String par = reg.host() + "/cli/parinspect:0.1.0";
    assertEquals(0, CliRunner.run("push", par, PAR.toString(), "--insecure").exitCode());
    CliRunner.Result inspect = CliRunner.run("par", "inspect", par, "--insecure");
    assertEquals(0, inspect.exitCode(), inspect.err());
    assertTrue(inspect.out().contains("wasmcloud:keyvalue"), inspect.out());

    CliRunner.Result wrongKind = CliRunner.run("par", "inspect", ref, "--insecure");
    assertEquals(1, wrongKind.exitCode());
    assertTrue(wrongKind.err().contains("it is an actor module"), wrongKind.err());
    CliRunner.Result missing =
        CliRunner.run("claims", "inspect", reg.host() + "/cli/none:1", "--insecure");
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("no tag '1' in repository cli/none"), missing.err());
  }

  @Test
  void ctlStartAndUpdateWithRegistryReferences() throws Exception {
    String ref = reg.host() + "/cli/started:1.0.0";
    assertEquals(0, CliRunner.run("push", ref, ECHO.toString(), "--insecure").exitCode());
    CliRunner.Result start = lattice.run("ctl", "start", "actor", ref);
    assertEquals(0, start.exitCode(), start.err());
    Matcher m =
        Pattern.compile(
                "Actor (M[A-Z0-9]{55}) \\(echo\\) started on host (N[A-Z0-9]{55}) \\(1 instance\\)\n")
            .matcher(start.out());
    assertTrue(m.matches(), start.out());
    CliRunner.Result inv = lattice.run("ctl", "get", "inventory", m.group(2), "-o", "json");
    assertEquals(0, inv.exitCode(), inv.err());
    assertTrue(inv.out().contains("\"image_ref\" : \"" + ref + "\""), inv.out());

    CliRunner.Result update = lattice.run("ctl", "update", "actor", m.group(2), m.group(1), ref);
    assertEquals(1, update.exitCode(), "the same revision is refused, as for files");
    assertTrue(update.err().contains("Unable to perform live update: new revision"), update.err());
    assertEquals(0, lattice.run("ctl", "stop", "actor", m.group(2), m.group(1)).exitCode());
  }

  @Test
  void credentialsFromWashsEnvironmentVariables() throws Exception {
    try (OciRegistry auth = OciRegistry.start(OciRegistry.Auth.htpasswd("wash", "pw-1234"))) {
      String ref = auth.host() + "/cli/secret:1.0.0";
      CliProcess.Result pushed =
          CliProcess.run(
              Map.of(
                  "WASH_REG_USER", "wash",
                  "WASH_REG_PASSWORD", "pw-1234",
                  "TRELLIS_HOME", dir.resolve("proc-home").toString()),
              dir.resolve("proc"),
              Duration.ofSeconds(60),
              "push",
              ref,
              ECHO.toAbsolutePath().toString(),
              "--insecure");
      assertEquals(0, pushed.exitCode(), pushed.err());
      assertTrue(pushed.out().contains("Digest: sha256:"), pushed.out());

      CliRunner.Result anonymous =
          CliRunner.run("pull", ref, "-o", dir.resolve("s.wasm").toString(), "--insecure");
      assertEquals(1, anonymous.exitCode());
      assertTrue(anonymous.err().contains("requires a user name and password"), anonymous.err());
      CliRunner.Result withUser =
          CliRunner.run(
              "pull",
              ref,
              "-o",
              dir.resolve("s.wasm").toString(),
              "--insecure",
              "--user",
              "wash",
              "--password",
              "pw-1234");
      assertEquals(0, withUser.exitCode(), withUser.err());
    }
  }
}
