package io.trellis.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OciReferenceTest {
  private static final String HEX = "a".repeat(64);

  @Test
  void registryWithPortRepositoryAndTag() {
    OciReference r = OciReference.parse("localhost:5000/org/sub/echo:0.3.4");
    assertEquals("localhost:5000", r.registry());
    assertEquals("org/sub/echo", r.repository());
    assertEquals("0.3.4", r.tag());
    assertNull(r.digest());
    assertEquals("0.3.4", r.manifestReference());
    assertEquals("localhost", r.registryHostName());
    assertFalse(r.isLatest());
    assertEquals("localhost:5000/org/sub/echo:0.3.4", r.toString());
  }

  @Test
  void digestReferencesArePinned() {
    OciReference r = OciReference.parse("ghcr.io/org/echo@sha256:" + HEX);
    assertEquals("ghcr.io", r.registry());
    assertNull(r.tag());
    assertEquals("sha256:" + HEX, r.manifestReference());
    assertTrue(r.pinned());
    assertFalse(r.isLatest());
    OciReference both = OciReference.parse("ghcr.io/org/echo:1.0@sha256:" + HEX);
    assertEquals("1.0", both.tag());
    assertEquals("sha256:" + HEX, both.manifestReference());
  }

  @Test
  void lowerCasedAsWashAndTheOtpHostDo() {
    OciReference r = OciReference.parse("  OCI://WasmCloud.AzureCR.io/Echo:V0.3.4 ");
    assertEquals("wasmcloud.azurecr.io/echo:v0.3.4", r.toString());
  }

  @Test
  void dockerHubNamesGetTheLibraryPrefix() {
    OciReference r = OciReference.parse("echo:1");
    assertEquals("docker.io", r.registry());
    assertEquals("library/echo", r.repository());
    assertEquals("registry-1.docker.io", r.apiHost());
    assertEquals("docker.io", OciReference.parse("org/echo:1").registry());
  }

  @Test
  void latestAndUntaggedAreLatest() {
    assertTrue(OciReference.parse("ghcr.io/org/echo").isLatest());
    assertTrue(OciReference.parse("ghcr.io/org/echo:latest").isLatest());
    assertEquals("latest", OciReference.parse("ghcr.io/org/echo").manifestReference());
  }

  @Test
  void ipAddressesAndIpv6() {
    assertEquals("127.0.0.1:5055", OciReference.parse("127.0.0.1:5055/x:1").registry());
    OciReference v6 = OciReference.parse("[::1]:5000/x:1");
    assertEquals("[::1]:5000", v6.registry());
    assertEquals("x", v6.repository());
  }

  @Test
  void badReferencesNameTheProblem() {
    InvalidReferenceException e =
        assertThrows(
            InvalidReferenceException.class, () -> OciReference.parse("ghcr.io/a/b@sha256:12"));
    assertTrue(
        e.getMessage().contains("'ghcr.io/a/b@sha256:12' is not a valid OCI reference"),
        e.getMessage());
    assertTrue(e.getMessage().contains("digest"), e.getMessage());
    assertTrue(
        assertThrows(InvalidReferenceException.class, () -> OciReference.parse("ghcr.io/a/b:-x"))
            .getMessage()
            .contains("tag '-x'"));
    assertTrue(
        assertThrows(InvalidReferenceException.class, () -> OciReference.parse("ghcr.io/a//b:1"))
            .getMessage()
            .contains("repository part ''"));
    assertTrue(
        assertThrows(InvalidReferenceException.class, () -> OciReference.parse("host:99999/a:1"))
            .getMessage()
            .contains("port '99999'"));
    assertTrue(
        assertThrows(InvalidReferenceException.class, () -> OciReference.parse(""))
            .getMessage()
            .contains("empty"));
    assertTrue(
        assertThrows(InvalidReferenceException.class, () -> OciReference.parse("ghcr.io/:1"))
            .getMessage()
            .contains("no repository"));
  }

  @Test
  void credentialsMatchWithAndWithoutPort() {
    CredentialMap m = new CredentialMap();
    m.putAll(java.util.Map.of("https://localhost", RegistryCredentials.basic("u", "p")));
    assertTrue(m.lookup(OciReference.parse("localhost:5000/a:1")).isPresent());
    assertTrue(m.lookup(OciReference.parse("other:5000/a:1")).isEmpty());
    m.putAll(java.util.Map.of("localhost:5000", RegistryCredentials.token("t")));
    assertEquals("t", m.lookup(OciReference.parse("localhost:5000/a:1")).get().token());
    assertEquals(
        "RegistryCredentials[user u, password ***]",
        RegistryCredentials.basic("u", "p").toString());
  }

  @Test
  void environmentCredentialsApplyToTheirRegistryOnly() {
    CredentialSource env =
        CredentialSource.environment(
            java.util.Map.of(
                "OCI_REGISTRY", "ghcr.io", "OCI_REGISTRY_USER", "u", "OCI_REGISTRY_PASSWORD", "p"));
    assertTrue(env.lookup(OciReference.parse("ghcr.io/org/a:1")).isPresent());
    assertTrue(env.lookup(OciReference.parse("quay.io/org/a:1")).isEmpty());
    assertTrue(
        CredentialSource.environment(java.util.Map.of("OCI_REGISTRY", "ghcr.io"))
            .lookup(OciReference.parse("ghcr.io/org/a:1"))
            .isEmpty());
  }

  @Test
  void kindIsToldByContent() {
    assertEquals(
        ArtifactKind.ACTOR, ArtifactKind.detect(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, "f"));
    assertEquals(
        ArtifactKind.PROVIDER, ArtifactKind.detect(new byte[] {0x1f, (byte) 0x8b, 8}, "f"));
    UnsupportedArtifactException e =
        assertThrows(
            UnsupportedArtifactException.class,
            () -> ArtifactKind.detect("hello".getBytes(), "x.txt"));
    assertTrue(
        e.getMessage().startsWith("x.txt is neither a wasm module nor a provider archive"),
        e.getMessage());
  }
}
