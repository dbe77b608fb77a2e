package io.trellis.host.providers;

import io.trellis.host.config.TrellisDirs;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Provider supervision settings.
 *
 * @param healthInterval time between health checks once healthy (PROTOCOL.md §7.4: 30 s)
 * @param startupProbe how often a starting provider is probed until its first healthy answer, so
 *     links are re-sent as soon as it listens
 * @param shutdownGrace how long a provider may take to exit after the shutdown request
 * @param restartBackoffMax the cap of the exponential restart delay (1 s, 2 s, 4 s, ...)
 * @param cacheDir where provider binaries are written: {@code cache/providers} in the Trellis
 *     directory ({@link TrellisDirs}, by default {@code ~/.trellis}), private to the user, instead
 *     of the OTP host's shared {@code {tmpdir}/wasmcloudcache} where another local user could plant
 *     a binary we would run
 */
public record ProviderOptions(
    Duration healthInterval,
    Duration startupProbe,
    Duration shutdownGrace,
    Duration restartBackoffMax,
    Path cacheDir) {

  public static ProviderOptions defaults() {
    return new ProviderOptions(
        Duration.ofSeconds(30),
        Duration.ofMillis(250),
        Duration.ofSeconds(3),
        Duration.ofSeconds(30),
        defaultCacheDir());
  }

  static Path defaultCacheDir() {
    return TrellisDirs.current().providerCache();
  }

  public ProviderOptions withHealthInterval(Duration d) {
    return new ProviderOptions(d, startupProbe, shutdownGrace, restartBackoffMax, cacheDir);
  }

  public ProviderOptions withRestartBackoffMax(Duration d) {
    return new ProviderOptions(healthInterval, startupProbe, shutdownGrace, d, cacheDir);
  }
}
