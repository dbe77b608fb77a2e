package io.trellis.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.testkit.RawOci;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registries that trickle or redirect: the deadline and the Authorization header. */
class MisbehavingRegistryTest {
  static final byte[] ECHO = Samples.actor("echo");
  static final byte[] MANIFEST =
      Pusher.manifest(
          ArtifactKind.ACTOR,
          RawOci.sha256("{}".getBytes(StandardCharsets.UTF_8)),
          2,
          RawOci.sha256(ECHO),
          ECHO.length,
          PushRequest.defaults());

  @TempDir Path cache;

  private OciClient client(FakeRegistry reg, Duration deadline, CredentialSource creds) {
    return new OciClient(
        OciOptions.defaults(cache).withAllowedInsecure(List.of(reg.host())).withDeadline(deadline),
        creds);
  }

  private static void serveManifest(FakeRegistry reg) {
    reg.handle(
        "/v2/t/echo/manifests/", x -> FakeRegistry.send(x, 200, MediaTypes.OCI_MANIFEST, MANIFEST));
  }

  @Test
  void aRegistryThatTricklesIsCutOffAtTheDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (FakeRegistry reg = new FakeRegistry()) {
      serveManifest(reg);
      reg.handle(
          "/v2/t/echo/blobs/",
          x -> {
            x.sendResponseHeaders(200, ECHO.length);
            try (OutputStream o = x.getResponseBody()) {
              // one byte, then nothing until the test is over: a stalled transfer
              o.write(ECHO, 0, 1);
              o.flush();
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
              // the client hung up
            }
          });
      try (OciClient oci = client(reg, Duration.ofSeconds(2), CredentialSource.none())) {
        long t0 = System.nanoTime();
        PullTimeoutException e =
            assertThrows(
                PullTimeoutException.class,
                () -> oci.pull(reg.host() + "/t/echo:1", ArtifactKind.ACTOR));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(
            "cannot pull "
                + reg.host()
                + "/t/echo:1: it did not finish within 2 s; the registry sends too slowly or stalled",
            e.getMessage());
        assertTrue(ms >= 1_900 && ms < 10_000, "cut off after " + ms + " ms");
      } finally {
        release.countDown();
      }
    }
    assertEquals(List.of(), Samples.cacheFiles(cache));
  }

  @Test
  void authorizationIsDroppedWhenABlobRedirectsToAnotherHost() {
    String basic =
        "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));
    try (FakeRegistry reg = new FakeRegistry();
        FakeRegistry storage = new FakeRegistry()) {
      reg.handle(
          "/v2/",
          x -> {
            if (!basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
              x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake\"");
              FakeRegistry.send(x, 401, null, new byte[0]);
              return;
            }
            String path = x.getRequestURI().getPath();
            if (path.contains("/manifests/")) {
              FakeRegistry.send(x, 200, MediaTypes.OCI_MANIFEST, MANIFEST);
            } else if (path.contains("/blobs/")) {
              // same host, other path first; then to "localhost", another host name
              x.getResponseHeaders().set("Location", "/same-host/" + RawOci.sha256(ECHO));
              FakeRegistry.send(x, 307, null, new byte[0]);
            }
          });
      reg.handle(
          "/same-host/",
          x -> {
            x.getResponseHeaders()
                .set("Location", "http://localhost:" + storage.port() + "/bucket/blob");
            FakeRegistry.send(x, 302, null, new byte[0]);
          });
      storage.handle("/bucket/", x -> FakeRegistry.send(x, 200, "application/octet-stream", ECHO));
      try (OciClient oci =
          client(
              reg,
              Duration.ofSeconds(30),
              CredentialSource.fixed(reg.host(), RegistryCredentials.basic("u", "p")))) {
        assertArrayEquals(ECHO, oci.pull(reg.host() + "/t/echo:1", ArtifactKind.ACTOR).bytes());
      }
      assertEquals(
          basic,
          reg.seen.stream()
              .filter(s -> s.path().startsWith("/same-host/"))
              .findFirst()
              .orElseThrow()
              .authorization(),
          "kept on the registry's own host");
      assertEquals(1, storage.seen.size());
      assertEquals("", storage.seen.get(0).authorization(), "never sent to the storage host");
    }
  }
}
