package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.host.Host;
import io.trellis.oci.CredentialSource;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciOptions;
import io.trellis.oci.PushRequest;
import io.trellis.oci.RegistryCredentials;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.OciRegistry;
import io.trellis.testkit.RawOci;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.HostCommands.RegistryCredential;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad registry input ends in an error that names the reference and the cause, the host serves
 * on, and nothing of a failed pull stays in its cache (PROTOCOL.md §14.7); credentials are taken
 * from ctl before the environment (PROTOCOL.md §14.4); a warm cache starts actors while the
 * registry is down (PROTOCOL.md §14.5).
 */
class RegistryFailuresTest {
  static final String PASSWORD = "right-Pa55word";
  @TempDir static Path dir;
  static OciRegistry reg;
  static OciRegistry auth;
  static int closedPort;
  static CtlLattice lattice;
  static CtlClient client;

  @BeforeAll
  static void up() {
    reg = OciRegistry.start();
    auth = OciRegistry.start(OciRegistry.Auth.htpasswd("alice", PASSWORD));
    closedPort = FreePorts.allocate(1)[0];
    String insecure =
        String.join(
            ",", reg.host(), auth.host(), "127.0.0.1:" + closedPort, "no-such-host.invalid:5000");
    lattice =
        new CtlLattice(
            dir,
            List.of(
                env("plain", insecure, Map.of()),
                env("small", insecure, Map.of("TRELLIS_MAX_ARTIFACT_BYTES", "1024")),
                env(
                    "env-wrong",
                    insecure,
                    Map.of(
                        "OCI_REGISTRY", auth.host(),
                        "OCI_REGISTRY_USER", "alice",
                        "OCI_REGISTRY_PASSWORD", "wrong-password")),
                env(
                    "env-right",
                    insecure,
                    Map.of(
                        "OCI_REGISTRY",
                        auth.host(),
                        "OCI_REGISTRY_USER",
                        "alice",
                        "OCI_REGISTRY_PASSWORD",
                        PASSWORD))));
    client = lattice.client;
  }

  static Map<String, String> env(String name, String insecure, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("WASMCLOUD_OCI_ALLOWED_INSECURE", insecure);
    env.put("TRELLIS_HOME", dir.resolve("home-" + name).toString());
    return env;
  }

  @AfterAll
  static void down() {
    if (lattice != null) {
      lattice.close();
    }
    reg.close();
    auth.close();
  }

  static String push(OciRegistry r, String repoAndTag, byte[] bytes, RegistryCredentials creds) {
    String ref = r.host() + "/" + repoAndTag;
    try (OciClient oci =
        new OciClient(
            OciOptions.defaults(null).withAllowedInsecure(List.of(r.host())),
            creds == null ? CredentialSource.none() : CredentialSource.fixed(r.host(), creds))) {
      oci.push(ref, bytes, PushRequest.defaults());
    }
    return ref;
  }

  static byte[] freshEcho(String name) throws Exception {
    return Files.readAllBytes(
        CtlLattice.signedEcho(
            dir, name, KeyPair.generate(KeyType.ACCOUNT), KeyPair.generate(KeyType.MODULE), 1));
  }

  static String failure(Host h, String ref) {
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () -> client.startActorAndWait(h.id(), ref, 1, Map.of(), Duration.ofSeconds(30)));
    assertTrue(e.error().startsWith("cannot pull " + ref + ": "), e.error());
    return e.error();
  }

  static List<Path> cachedBlobs(String home) throws Exception {
    Path blobs = dir.resolve("home-" + home).resolve("cache/oci/blobs");
    if (!Files.exists(blobs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(blobs)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void everyBadInputNamesReferenceAndCauseAndTheHostServesOn() throws Exception {
    Host plain = lattice.host(0);
    Host small = lattice.host(1);
    String echo = push(reg, "bad/echo:1.0.0", freshEcho("bad-echo"), null);
    // other tests share these hosts: compare with what their caches held before
    List<Path> plainBefore = cachedBlobs("plain");
    List<Path> smallBefore = cachedBlobs("small");

    assertTrue(
        failure(plain, "no-such-host.invalid:5000/x/y:1")
            .endsWith("unknown host 'no-such-host.invalid' (it does not resolve)"));
    assertTrue(failure(plain, "127.0.0.1:" + closedPort + "/x/y:1").contains("was refused"));
    assertTrue(
        failure(plain, reg.host() + "/bad/echo:9.9.9")
            .contains("no tag '9.9.9' in repository bad/echo (HTTP 404"));
    assertTrue(
        failure(small, echo).contains("over the limit of 1024 bytes (TRELLIS_MAX_ARTIFACT_BYTES)"));

    byte[] corrupt = freshEcho("corrupt");
    String corruptRef = push(reg, "bad/corrupt:1.0.0", corrupt, null);
    byte[] garbage = corrupt.clone();
    garbage[200] ^= 0x7f;
    Files.write(reg.blobData(RawOci.sha256(corrupt)), garbage);
    assertTrue(failure(plain, corruptRef).contains("arrived with digest sha256:"));

    StartFailedException asProvider =
        assertThrows(
            StartFailedException.class,
            () ->
                client.startProviderAndWait(
                    plain.id(), echo, "default", "", Map.of(), Duration.ofSeconds(30)));
    assertTrue(asProvider.error().contains("it is an actor module (layer "), asProvider.error());

    Ack latest = client.startActor(plain.id(), reg.host() + "/bad/echo:latest", 1, Map.of());
    assertFalse(latest.accepted());
    assertTrue(latest.error().contains("set WASMCLOUD_OCI_ALLOW_LATEST=true"), latest.error());

    assertEquals(plainBefore, cachedBlobs("plain"), "nothing of a failed pull is cached");
    assertEquals(smallBefore, cachedBlobs("small"));

    // the host serves on: the good reference starts on the same host
    ActorStarted ok =
        client.startActorAndWait(plain.id(), echo, 1, Map.of(), Duration.ofSeconds(30));
    assertEquals(echo, ok.imageRef());
    assertEquals(plainBefore.size() + 2, cachedBlobs("plain").size(), "manifest and layer");
    client.stopActor(plain.id(), ok.actorId(), 0, Map.of());
  }

  @Test
  void credentialsComeFromCtlFirstThenTheEnvironmentThenNobody() throws Exception {
    Host plain = lattice.host(0);
    Host envWrong = lattice.host(2);
    Host envRight = lattice.host(3);
    String ref =
        push(
            auth,
            "team/echo:1.0.0",
            freshEcho("auth-echo"),
            RegistryCredentials.basic("alice", PASSWORD));

    assertTrue(
        failure(plain, ref)
            .endsWith(
                "the registry requires a user name and password and none is configured for "
                    + auth.host()
                    + " (HTTP 401)"));
    String wrong = failure(envWrong, ref);
    assertTrue(wrong.contains("the registry refused user 'alice' (HTTP 401"), wrong);
    assertFalse(wrong.contains("wrong-password"));
    ActorStarted fromEnv =
        client.startActorAndWait(envRight.id(), ref, 1, Map.of(), Duration.ofSeconds(30));
    client.stopActor(envRight.id(), fromEnv.actorId(), 0, Map.of());

    assertEquals(
        Ack.ok(),
        client.putRegistries(
            Map.of(auth.host(), new RegistryCredential("oci", "alice", PASSWORD, null))));
    // registries.put reaches every host; the one with wrong environment credentials now uses ctl's
    Awaitility.await("a start with ctl's credentials")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try {
                client.startActorAndWait(envWrong.id(), ref, 1, Map.of(), Duration.ofSeconds(30));
                return true;
              } catch (StartFailedException e) {
                assertTrue(e.error().contains("HTTP 401"), e.error());
                return false;
              }
            });
    client.startActorAndWait(plain.id(), ref, 1, Map.of(), Duration.ofSeconds(30));
  }

  @Test
  void aWarmCacheStartsWhileTheRegistryIsDownAndAColdStartFailsClearly() throws Exception {
    Host plain = lattice.host(0);
    try (OciRegistry own = OciRegistry.start();
        CtlLattice offline = new CtlLattice(dir, List.of(env("offline", own.host(), Map.of())))) {
      CtlClient c = offline.client;
      Host h = offline.host(0);
      String ref = push(own, "t/echo:2.0.0", freshEcho("offline-echo"), null);
      String cold = push(own, "t/echo:2.0.1", freshEcho("offline-cold"), null);
      ActorStarted first = c.startActorAndWait(h.id(), ref, 1, Map.of(), Duration.ofSeconds(30));
      assertEquals(Ack.ok(), c.stopActor(h.id(), first.actorId(), 0, Map.of()));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.inventory(h.id()).actors().isEmpty());
      own.stop();

      ActorStarted again = c.startActorAndWait(h.id(), ref, 1, Map.of(), Duration.ofSeconds(30));
      assertEquals(first.actorId(), again.actorId());
      StartFailedException e =
          assertThrows(
              StartFailedException.class,
              () -> c.startActorAndWait(h.id(), cold, 1, Map.of(), Duration.ofSeconds(30)));
      assertTrue(
          e.error()
              .equals(
                  "cannot pull "
                      + cold
                      + ": the connection to "
                      + own.host()
                      + " was refused (is the registry running?)"),
          e.error());
    }
    assertTrue(client.pingHosts().stream().anyMatch(x -> x.id().equals(plain.id())));
  }
}
