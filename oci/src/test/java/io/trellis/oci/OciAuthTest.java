package io.trellis.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.testkit.OciRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic (htpasswd) and token authentication against real docker-registry processes. */
class OciAuthTest {
  static final byte[] ECHO = Samples.actor("echo");
  static final String SECRET = "s3cret-Pa55";

  @TempDir Path cache;

  private OciClient client(OciRegistry reg, CredentialSource creds) {
    return new OciClient(
        OciOptions.defaults(cache).withAllowedInsecure(List.of(reg.host())), creds);
  }

  private static CredentialSource login(OciRegistry reg, String user, String password) {
    return CredentialSource.fixed(reg.host(), RegistryCredentials.basic(user, password));
  }

  @Test
  void basicAuthWithHtpasswd() {
    try (OciRegistry reg = OciRegistry.start(OciRegistry.Auth.htpasswd("alice", SECRET))) {
      String ref = reg.host() + "/team/echo:1.0.0";
      try (OciClient oci = client(reg, login(reg, "alice", SECRET))) {
        oci.push(ref, ECHO, PushRequest.defaults());
        assertArrayEquals(ECHO, oci.pull(ref, ArtifactKind.ACTOR).bytes());
      }
      try (OciClient anon = client(reg, CredentialSource.none())) {
        RegistryAuthException e =
            assertThrows(RegistryAuthException.class, () -> anon.pull(ref, ArtifactKind.ACTOR));
        assertEquals(
            "cannot pull "
                + ref
                + ": the registry requires a user name and password and none is configured for "
                + reg.host()
                + " (HTTP 401)",
            e.getMessage());
      }
      try (OciClient wrong = client(reg, login(reg, "alice", "wrong-password"))) {
        RegistryAuthException e =
            assertThrows(RegistryAuthException.class, () -> wrong.pull(ref, ArtifactKind.ACTOR));
        assertTrue(
            e.getMessage()
                .startsWith("cannot pull " + ref + ": the registry refused user 'alice' (HTTP 401"),
            e.getMessage());
        assertFalse(e.getMessage().contains("wrong-password"));
      }
    }
  }

  @Test
  void tokenAuthWithATokenServiceTheRegistryTrusts() {
    try (OciRegistry reg = OciRegistry.start(OciRegistry.Auth.token("bob", SECRET, 300))) {
      String ref = reg.host() + "/team/echo:2.0.0";
      try (OciClient oci = client(reg, login(reg, "bob", SECRET))) {
        PushResult pushed = oci.push(ref, ECHO, PushRequest.defaults());
        int afterPush = reg.tokenService().issued();
        assertTrue(afterPush >= 1);
        assertArrayEquals(ECHO, oci.pull(ref, ArtifactKind.ACTOR).bytes());
        int afterFirstPull = reg.tokenService().issued();
        assertEquals(afterPush + 1, afterFirstPull, "one token for the pull scope");
        oci.pull(ref, ArtifactKind.ACTOR);
        oci.pull(reg.host() + "/team/echo@" + pushed.manifestDigest(), ArtifactKind.ACTOR);
        assertEquals(
            afterFirstPull, reg.tokenService().issued(), "the token is reused until it expires");
      }
      try (OciClient wrong = client(reg, login(reg, "bob", "nope"))) {
        RegistryAuthException e =
            assertThrows(RegistryAuthException.class, () -> wrong.pull(ref, ArtifactKind.ACTOR));
        assertEquals(
            "cannot pull "
                + ref
                + ": the token service "
                + reg.tokenService().realm()
                + " refused user 'bob' (HTTP 401, {\"details\":\"incorrect username or password\"})",
            e.getMessage());
      }
      try (OciClient anon = client(reg, CredentialSource.none())) {
        RegistryAuthException e =
            assertThrows(RegistryAuthException.class, () -> anon.pull(ref, ArtifactKind.ACTOR));
        assertTrue(e.getMessage().contains("refused anonymous access (HTTP 401"), e.getMessage());
      }
      try (OciClient oci = client(reg, login(reg, "bob", SECRET))) {
        RegistryAuthException e =
            assertThrows(
                RegistryAuthException.class,
                () -> oci.pull(reg.host() + "/forbidden/echo:1", ArtifactKind.ACTOR));
        assertTrue(e.getMessage().contains("refused user 'bob' (HTTP 403"), e.getMessage());
      }
    }
    assertTrue(
        Samples.cacheFiles(cache).stream().noneMatch(p -> cache.relativize(p).startsWith("tmp")),
        "failed pulls leave no temp files");
  }

  @Test
  void aReadyTokenFromRegistriesPutIsSentAsTheBearerToken() {
    try (OciRegistry reg = OciRegistry.start(OciRegistry.Auth.token("carol", SECRET, 300))) {
      String ref = reg.host() + "/team/echo:3.0.0";
      try (OciClient oci = client(reg, login(reg, "carol", SECRET))) {
        oci.push(ref, ECHO, PushRequest.defaults());
      }
      try (OciClient bogus =
          client(reg, CredentialSource.fixed(reg.host(), RegistryCredentials.token("not-a-jwt")))) {
        RegistryAuthException e =
            assertThrows(RegistryAuthException.class, () -> bogus.pull(ref, ArtifactKind.ACTOR));
        assertTrue(
            e.getMessage().contains("refused the configured token (HTTP 401"), e.getMessage());
        assertFalse(e.getMessage().contains("not-a-jwt"));
      }
    }
  }
}
