package io.trellis.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One place decides the Trellis directory, and it honours $HOME as Unix tools do. */
class TrellisDirsTest {
  @TempDir Path dir;

  private static TrellisDirs resolve(Map<String, String> env, Map<String, String> props) {
    return TrellisDirs.resolve(env::get, props::get);
  }

  @Test
  void homeWinsOverTheJvmsUserHome() {
    Path home = dir.resolve("home");
    TrellisDirs d = resolve(Map.of("HOME", home.toString()), Map.of("user.home", "/passwd/home"));
    assertEquals(home, d.userHome());
    assertEquals(home.resolve(".trellis"), d.root());
    assertEquals(home.resolve(".trellis/cache/providers"), d.providerCache());
    assertEquals(home.resolve(".trellis/keys"), d.keys());
    assertEquals(home.resolve(".trellis/host_config.json"), d.hostConfig());
  }

  @Test
  void userHomeIsTheFallbackWithoutHome() {
    TrellisDirs d = resolve(Map.of("HOME", " "), Map.of("user.home", "/passwd/home"));
    assertEquals(Path.of("/passwd/home"), d.userHome());
    assertEquals(Path.of("/passwd/home/.trellis"), d.root());
  }

  @Test
  void trellisHomeMovesTheWholeDirectory() {
    Path th = dir.resolve("th");
    TrellisDirs d =
        resolve(
            Map.of("HOME", dir.resolve("home").toString(), "TRELLIS_HOME", th.toString()),
            Map.of("user.home", "/passwd/home"));
    assertEquals(th, d.root());
    assertEquals(th.resolve("cache/providers"), d.providerCache());
    assertEquals(th.resolve("keys"), d.keys());
    assertEquals(dir.resolve("home"), d.userHome(), "~ is still the user's home");
  }

  @Test
  void thePropertyWinsOverEverything() {
    // set by 'trellis up --detached' for its background process: the directory the parent chose
    Path chosen = dir.resolve("chosen");
    TrellisDirs d =
        resolve(
            Map.of("HOME", "/h", "TRELLIS_HOME", "/t"),
            Map.of("user.home", "/u", TrellisDirs.HOME_PROPERTY, chosen.toString()));
    assertEquals(chosen, d.root());
  }

  @Test
  void theHostWritesItsConfigUnderTheHomeItIsGiven() {
    Path home = dir.resolve("home");
    HostConfig c =
        HostConfigLoader.load(Map.of("HOME", home.toString()), null, Map.of(), dir.resolve("cwd"));
    assertEquals(home.resolve(".trellis/host_config.json"), c.hostConfigOut());
    HostConfig t =
        HostConfigLoader.load(
            Map.of("HOME", home.toString(), "TRELLIS_HOME", dir.resolve("th").toString()),
            null,
            Map.of(),
            dir.resolve("cwd"));
    assertEquals(dir.resolve("th/host_config.json"), t.hostConfigOut());
  }
}
