package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/**
 * What we log in to a registry with: a user name and password (Basic, or exchanged for a Bearer
 * token), or a ready token (used as the Bearer token when the registry asks for one). {@link
 * #toString} never shows a secret.
 *
 * @param username null with a token
 * @param password null with a token
 * @param token a registry token, or null
 */
public record RegistryCredentials(
    @Nullable String username, @Nullable String password, @Nullable String token) {

  public static RegistryCredentials basic(String username, String password) {
    return new RegistryCredentials(username, password, null);
  }

  public static RegistryCredentials token(String token) {
    return new RegistryCredentials(null, null, token);
  }

  /** True when there is a user name and password to send. */
  public boolean hasPassword() {
    return username != null && password != null;
  }

  @Override
  public String toString() {
    return hasPassword()
        ? "RegistryCredentials[user " + username + ", password ***]"
        : token != null ? "RegistryCredentials[token ***]" : "RegistryCredentials[anonymous]";
  }
}
