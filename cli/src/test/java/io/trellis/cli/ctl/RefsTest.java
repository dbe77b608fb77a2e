package io.trellis.cli.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RefsTest {
  final Path cwd = Path.of("/home/dev/here");

  @Test
  void localPathsBecomeAbsoluteFileUrls() {
    assertEquals("file:///home/dev/here/echo.wasm", Refs.normalize("echo.wasm", cwd));
    assertEquals("file:///home/dev/actors/echo.wasm", Refs.normalize("../actors/echo.wasm", cwd));
    assertEquals("file:///opt/p.par.gz", Refs.normalize("/opt/p.par.gz", cwd));
    assertEquals(
        "file:///home/dev/here/a.wasm",
        Refs.normalize("file://a.wasm", cwd),
        "relative file:// URLs too");
    assertEquals("file:///home/dev/here/my%20dir/a.wasm", Refs.normalize("my dir/a.wasm", cwd));
  }

  @Test
  void urlsAndRegistryReferencesPassThrough() {
    assertEquals("file:///abs/x.wasm", Refs.normalize("file:///abs/x.wasm", cwd));
    assertEquals(
        "https://example.com/echo.wasm", Refs.normalize("https://example.com/echo.wasm", cwd));
    assertEquals(
        "wasmcloud.azurecr.io/echo:0.3.4", Refs.normalize("wasmcloud.azurecr.io/echo:0.3.4", cwd));
    assertEquals(
        "bindle://example.com/echo/1.0", Refs.normalize("bindle://example.com/echo/1.0", cwd));
  }
}
