package io.trellis.host.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How actor and provider references are read. */
class ArtifactRefTest {
  static Path path(String ref) {
    return assertInstanceOf(ArtifactRef.FileRef.class, ArtifactRef.parse(ref)).path();
  }

  @Test
  void fileUrlsAreAbsoluteRelativeOrLocalhost() {
    assertEquals(Path.of("/srv/actors/echo.wasm"), path("file:///srv/actors/echo.wasm"));
    assertEquals(Path.of("/srv/actors/echo.wasm"), path("file://localhost/srv/actors/echo.wasm"));
    assertEquals(
        Path.of("actors/echo.wasm"),
        path("file://actors/echo.wasm"),
        "wash accepts relative file:// refs");
    assertEquals(Path.of("./echo.wasm"), path("file://./echo.wasm"));
  }

  @Test
  void percentEscapesAreDecodedAndPlusIsKept() {
    assertEquals(Path.of("/tmp/my actors/a+b.wasm"), path("file:///tmp/my%20actors/a+b.wasm"));
    assertEquals(Path.of("/tmp/é.wasm"), path("file:///tmp/%C3%A9.wasm"));
  }

  @Test
  void malformedReferencesAreArtifactErrorsNamingTheReference() {
    ArtifactException e =
        assertThrows(ArtifactException.class, () -> ArtifactRef.parse("file:///tmp/bad%2.wasm"));
    assertTrue(
        e.getMessage().contains("'file:///tmp/bad%2.wasm'")
            && e.getMessage().contains("two hex digits"),
        e.getMessage());
    e = assertThrows(ArtifactException.class, () -> ArtifactRef.parse("file://"));
    assertTrue(e.getMessage().contains("no path after file://"), e.getMessage());
    e =
        assertThrows(
            ArtifactException.class, () -> ArtifactRef.parse("http://exa mple.com/x.wasm"));
    assertTrue(
        e.getMessage().startsWith("invalid URL 'http://exa mple.com/x.wasm'"), e.getMessage());
  }

  @Test
  void registriesAndUrlsAreRecognised() {
    assertInstanceOf(ArtifactRef.HttpRef.class, ArtifactRef.parse("https://example.com/echo.wasm"));
    assertEquals(
        "OCI",
        assertInstanceOf(
                ArtifactRef.RegistryRef.class, ArtifactRef.parse("wasmcloud.azurecr.io/echo:0.3.4"))
            .scheme());
    assertEquals(
        "bindle",
        assertInstanceOf(
                ArtifactRef.RegistryRef.class, ArtifactRef.parse("bindle://example.com/echo/0.1.0"))
            .scheme());
  }
}
