package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Host-level commands: stop host and registries.put (PROTOCOL.md §8.3), and the Trellis label
 * commands.
 */
public final class HostCommands {
  private HostCommands() {}

  /** {@code cmd.{host}.stop}; timeout in milliseconds (0 = the host's default grace). */
  public record StopHost(String hostId, long timeoutMs) {
    static final Set<String> FIELDS = Set.of("host_id", "timeout");

    public static StopHost fromJson(byte @Nullable [] json) {
      if (json == null || json.length == 0) {
        return new StopHost("", 0);
      }
      CtlJson j = CtlJson.parse(json, "stop host command", FIELDS);
      return new StopHost(
          j.optionalString("host_id", ""), j.optionalInt("timeout", 0, 0, 3_600_000));
    }

    public byte[] toJson() {
      return CtlJson.bytes(CtlJson.object().put("host_id", hostId).put("timeout", timeoutMs));
    }
  }

  /**
   * Trellis extension (the OTP host had no label commands): {@code cmd.{host}.label.put} with
   * {@code {"key","value"}} and {@code cmd.{host}.label.del} with {@code {"key"}}.
   */
  public record Label(String key, String value) {
    static final Set<String> FIELDS = Set.of("key", "value");

    public static Label fromJson(byte[] json, boolean needsValue) {
      CtlJson j =
          CtlJson.parse(json, needsValue ? "label put command" : "label delete command", FIELDS);
      String key = j.requiredString("key");
      if (key.startsWith("hostcore.")) {
        throw new CtlParseException(
            "invalid label command: 'hostcore.*' labels are built in and cannot be changed");
      }
      return new Label(key, needsValue ? j.requiredString("value") : j.optionalString("value", ""));
    }

    public byte[] toJson() {
      return CtlJson.bytes(CtlJson.object().put("key", key).put("value", value));
    }
  }

  /** One registry's credentials from {@code registries.put}; {@link #toString} hides secrets. */
  public record RegistryCredential(
      String registryType,
      @Nullable String username,
      @Nullable String password,
      @Nullable String token) {
    @Override
    public String toString() {
      return "RegistryCredential["
          + registryType
          + (username == null ? "" : ", user " + username)
          + (password == null ? "" : ", password ***")
          + (token == null ? "" : ", token ***")
          + "]";
    }
  }

  /**
   * What a {@code registries.put} carried: the usable entries, keyed by server, and the entries
   * dropped with the reason for each.
   */
  public record RegistriesPut(
      Map<String, RegistryCredential> credentials, Map<String, String> dropped) {
    public RegistriesPut {
      credentials = Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
      dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
    }

    /** "registry 'x': why; registry 'y': why", or "" when nothing was dropped. */
    public String describeDropped() {
      StringBuilder b = new StringBuilder();
      dropped.forEach(
          (k, why) ->
              b.append(b.isEmpty() ? "" : "; ").append("'").append(k).append("': ").append(why));
      return b.toString();
    }
  }

  /**
   * Parses {@code registries.put}: {@code {"<registry>": {"registryType", "username"?, "password"?,
   * "token"?}}}. As in the OTP host, an invalid entry is dropped and the others are kept: an entry
   * needs a {@code registryType} of oci or bindle and at least one of username, password and token
   * (a username alone is kept). Only a body that is not a JSON object is refused as a whole.
   */
  public static RegistriesPut registries(byte[] json) {
    JsonNode n =
        Json.readObject(
            json,
            (problem, cause) ->
                new CtlParseException(
                    "invalid registries put: the body is "
                        + problem
                        + " (an object of registry credentials)"));
    Map<String, RegistryCredential> out = new LinkedHashMap<>();
    Map<String, String> dropped = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      try {
        RegistryCredential c = credential(e.getKey(), e.getValue());
        String server = e.getKey().replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
        out.put(server, c);
      } catch (CtlParseException ex) {
        String prefix = "invalid credentials for registry '" + e.getKey() + "': ";
        String why = ex.getMessage();
        dropped.put(e.getKey(), why.startsWith(prefix) ? why.substring(prefix.length()) : why);
      }
    }
    return new RegistriesPut(out, dropped);
  }

  private static RegistryCredential credential(String registry, JsonNode entry) {
    if (!entry.isObject()) {
      throw new CtlParseException("not an object");
    }
    CtlJson j =
        CtlJson.parse(
            CtlJson.bytes(entry),
            "credentials for registry '" + registry + "'",
            Set.of("registryType", "username", "password", "token"));
    String type = j.optionalString("registryType");
    if (type == null || type.isBlank()) {
      throw new CtlParseException("registryType is required");
    }
    if (!type.equals("oci") && !type.equals("bindle")) {
      throw new CtlParseException("registryType must be oci or bindle, got '" + type + "'");
    }
    RegistryCredential c =
        new RegistryCredential(
            type,
            j.optionalString("username"),
            j.optionalString("password"),
            j.optionalString("token"));
    if (c.username() == null && c.password() == null && c.token() == null) {
      throw new CtlParseException("needs a username, a password or a token");
    }
    return c;
  }
}
