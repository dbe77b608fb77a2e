package io.trellis.cli.oci;

import io.trellis.host.config.TrellisDirs;
import io.trellis.oci.CredentialSource;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciOptions;
import io.trellis.oci.OciReference;
import io.trellis.oci.RegistryCredentials;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How the CLI talks to a registry: {@code --insecure}, {@code --allow-latest}, {@code
 * --user/--password} (from {@code TRELLIS_REG_USER}/{@code TRELLIS_REG_PASSWORD}, else wash's
 * {@code WASH_REG_USER}/{@code WASH_REG_PASSWORD}). Pulls go through the same cache as the hosts
 * ({@code cache/oci} in the Trellis directory).
 */
public final class RegistryOptions {
  @Option(
      names = "--insecure",
      description = "talk to the registry over plain HTTP instead of HTTPS")
  boolean insecure;

  @Option(
      names = "--allow-latest",
      description = "allow the tag latest (and references without a tag)")
  boolean allowLatest;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "USER",
      defaultValue = "${env:TRELLIS_REG_USER:-${env:WASH_REG_USER}}",
      description = "registry user name (env TRELLIS_REG_USER or WASH_REG_USER)")
  @Nullable String user;

  @Option(
      names = {"-p", "--password"},
      paramLabel = "PASSWORD",
      defaultValue = "${env:TRELLIS_REG_PASSWORD:-${env:WASH_REG_PASSWORD}}",
      description = "registry password or token (env TRELLIS_REG_PASSWORD or WASH_REG_PASSWORD)")
  @Nullable String password;

  /** A client for {@code ref}'s registry, with the cache unless {@code cached} is false. */
  public OciClient client(OciReference ref, boolean cached) {
    OciOptions o =
        OciOptions.defaults(cached ? TrellisDirs.current().ociCache() : null)
            .withAllowLatest(allowLatest)
            .withAllowedInsecure(insecure ? List.of(ref.registry()) : List.of());
    CredentialSource creds =
        blank(user) || blank(password)
            ? CredentialSource.none()
            : CredentialSource.fixed(ref.registry(), RegistryCredentials.basic(user, password));
    return new OciClient(o, creds);
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
