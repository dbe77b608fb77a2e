package io.trellis.cli.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.apps.service.AppsOptions;
import io.trellis.apps.service.AppsService;
import io.trellis.cli.CliProcess;
import io.trellis.cli.CliRunner;
import io.trellis.cli.apps.AppsMetrics;
import io.trellis.cli.ctl.CliLattice;
import io.trellis.host.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trellis app …} against a real host and a reconciler next to it, as in {@code up}. */
class AppCommandsTest {
  @TempDir Path dir;

  static String manifest(String version, int replicas) {
    return """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: hello
          annotations:
            version: %s
            description: "echo, %d replicas"
        spec:
          components:
            - name: echo
              type: actor
              properties:
                image: %s
              traits:
                - type: spreadscaler
                  properties:
                    replicas: %d
        """
        .formatted(
            version,
            replicas,
            Path.of(CliLattice.ECHO).toAbsolutePath().normalize().toUri(),
            replicas);
  }

  static int instances(Host h) {
    return h.actors().running().values().stream().mapToInt(r -> r.actor().instanceCount()).sum();
  }

  @Test
  void deployWaitStatusListHistoryGetUndeployDelete() throws Exception {
    try (CliLattice l = new CliLattice(dir, List.of(Map.of()));
        AppsService apps =
            AppsService.start(
                l.host(0).connections().ctl(),
                AppsOptions.defaults("default", null, l.host(0).id()))) {
      Path v1 = Files.writeString(dir.resolve("hello.yaml"), manifest("v1", 2));
      CliRunner.Result deploy =
          l.run("app", "deploy", v1.toString(), "--wait", "--timeout-ms", "10000");
      assertEquals(0, deploy.exitCode(), deploy.err() + deploy.out());
      assertTrue(
          deploy
              .out()
              .startsWith(
                  "Successfully put manifest hello v1\n"
                      + "Successfully deployed model hello v1\n"),
          deploy.out());
      assertTrue(deploy.out().endsWith("hello v1 is deployed\n"), deploy.out());
      assertEquals(2, instances(l.host(0)));
      // the reconciler's metrics on the host's registry, as trellis host wires them
      AppsMetrics.register(l.host(0).meterRegistry(), apps);
      String scrape = l.host(0).meterRegistry().scrape();
      assertTrue(scrape.contains("trellis_apps_leader 1.0"), scrape);
      assertTrue(scrape.contains("trellis_apps{status=\"deployed\"} 1.0"), scrape);
      assertTrue(scrape.contains("trellis_apps{status=\"failed\"} 0.0"), scrape);
      assertTrue(
          Pattern.compile("trellis_apps_commands_total\\{outcome=\"accepted\"} [1-9]")
              .matcher(scrape)
              .find(),
          scrape);
      assertTrue(
          Pattern.compile("trellis_apps_reconcile_passes_total [1-9]").matcher(scrape).find(),
          scrape);

      // the same file again: the stored version is reused
      CliRunner.Result again = l.run("app", "deploy", v1.toString(), "--timeout-ms", "10000");
      assertEquals(0, again.exitCode(), again.err());
      assertTrue(again.out().startsWith("Using the stored hello v1 (same content)"), again.out());
      // a changed file with the same version is refused, naming why
      Files.writeString(v1, manifest("v1", 3));
      CliRunner.Result changed = l.run("app", "deploy", v1.toString(), "--timeout-ms", "10000");
      assertEquals(1, changed.exitCode());
      assertTrue(changed.err().contains("stored already with different content"), changed.err());

      CliRunner.Result status = l.run("app", "status", "hello", "--timeout-ms", "10000");
      assertEquals(0, status.exitCode(), status.err());
      assertTrue(
          status
              .out()
              .startsWith(
                  "hello v1: deployed\n  echo (actor): deployed\n"
                      + "    spreadscaler: deployed\n"),
          status.out());

      Path v2 = Files.writeString(dir.resolve("hello2.yaml"), manifest("v2", 3));
      CliRunner.Result put = l.run("app", "put", v2.toString(), "--timeout-ms", "10000");
      assertEquals(0, put.exitCode(), put.err());
      assertTrue(put.out().startsWith("Put hello v2 (version 2 of hello)"), put.out());
      CliRunner.Result list = l.run("app", "list", "--timeout-ms", "10000");
      assertEquals(
          "NAME   LATEST  DEPLOYED  STATUS    DESCRIPTION\n"
              + "hello  v2      v1        deployed  echo, 3 replicas\n",
          list.out());
      CliRunner.Result history = l.run("app", "history", "hello", "--timeout-ms", "10000");
      assertEquals("VERSION  DEPLOYED\nv1       yes\nv2\n", history.out());
      CliRunner.Result get = l.run("app", "get", "hello", "v2", "--timeout-ms", "10000");
      assertTrue(get.out().contains("version: \"v2\""), get.out());
      CliRunner.Result json =
          l.run("app", "status", "hello", "-o", "json", "--timeout-ms", "10000");
      assertTrue(json.out().contains("\"type\" : \"deployed\""), json.out());

      CliRunner.Result deploy2 =
          l.run("app", "deploy", "hello", "v2", "--wait", "--timeout-ms", "10000");
      assertEquals(0, deploy2.exitCode(), deploy2.err());
      assertEquals(3, instances(l.host(0)));

      CliRunner.Result undeploy = l.run("app", "undeploy", "hello", "--timeout-ms", "10000");
      assertEquals("Successfully undeployed model hello\n", undeploy.out());
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> instances(l.host(0)) == 0);

      CliRunner.Result noVersion = l.run("app", "delete", "hello", "--timeout-ms", "10000");
      assertEquals(2, noVersion.exitCode(), "a version or --all is needed");
      CliRunner.Result del = l.run("app", "delete", "hello", "--all", "--timeout-ms", "10000");
      assertEquals(0, del.exitCode(), del.err());
      assertEquals("Successfully deleted model hello (undeployed)\n", del.out());
      assertEquals(
          "No applications in lattice 'default'\n",
          l.run("app", "list", "--timeout-ms", "10000").out());
    }
  }

  @Test
  void aBadManifestIsRefusedWithEveryProblemAndAFailingOneSaysWhy() throws Exception {
    try (CliLattice l = new CliLattice(dir, List.of(Map.of()));
        AppsService apps =
            AppsService.start(
                l.host(0).connections().ctl(),
                AppsOptions.defaults("default", null, l.host(0).id()))) {
      Path bad =
          Files.writeString(
              dir.resolve("bad.yaml"),
              manifest("latest", 1).replace("replicas: 1", "replicas: one"));
      CliRunner.Result put = l.run("app", "put", bad.toString(), "--timeout-ms", "10000");
      assertEquals(1, put.exitCode());
      assertEquals(
          "error: invalid manifest: 2 problems\n"
              + "  - metadata.annotations.version: \"latest\" is not allowed: versions are"
              + " immutable, so give this one a real version\n"
              + "  - spec.components[0].traits[0].properties.replicas: must be a whole number"
              + " >= 0, got a string \"one\"\n",
          put.err());

      Path missing =
          Files.writeString(
              dir.resolve("missing.yaml"),
              manifest("v1", 1)
                  .replace(
                      Path.of(CliLattice.ECHO).toAbsolutePath().normalize().toUri().toString(),
                      dir.resolve("none.wasm").toUri().toString()));
      CliRunner.Result failed =
          l.run("app", "deploy", missing.toString(), "--wait", "--timeout-ms", "10000");
      assertEquals(1, failed.exitCode(), failed.out());
      assertTrue(
          failed
              .err()
              .startsWith(
                  "error: hello v1 failed: echo: spread default: 0 of 1"
                      + " instances of echo running;"),
          failed.err());
      assertTrue(failed.err().contains("no such file"), failed.err());
      assertTrue(failed.out().contains("hello v1: failed"), failed.out());
    }
  }

  @Test
  void appsServeAnswersTheApiWithoutAHost() throws Exception {
    try (CliLattice l = new CliLattice(dir, List.of());
        CliProcess serve =
            CliProcess.start(
                Map.of("HOME", dir.toString()),
                List.of(),
                dir.resolve("serve"),
                "apps",
                "serve",
                "--ctl-port",
                Integer.toString(l.nats.port()),
                "--id",
                "S1")) {
      Awaitility.await("apps serve answers")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> l.run("app", "list", "--timeout-ms", "3000").exitCode() == 0);
      assertEquals(
          "No applications in lattice 'default'\n",
          l.run("app", "list", "--timeout-ms", "3000").out());
      assertTrue(serve.stdout().contains("as reconciler S1"), serve.stdout());
    }
  }

  @Test
  void withoutAnyApiServerTheErrorSaysWhatToRun() throws Exception {
    try (CliLattice l = new CliLattice(dir, List.of())) {
      CliRunner.Result r = l.run("app", "list");
      assertEquals(1, r.exitCode());
      assertTrue(r.err().contains("nothing serves the application API"), r.err());
      assertTrue(r.err().contains("trellis apps serve"), r.err());
    }
  }
}
