package io.trellis.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.oci.RegistryCredentials;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.settings.BooleanSetting;
import io.trellis.wasmbus.settings.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link HostConfig} from layered sources, lowest first: defaults, {@code .env} in the
 * working directory, the config file ({@code --config}, else {@code host_config.json} in the
 * working directory), environment variables, command-line flags. Every error names the setting and
 * the source it came from. Documented in docs/OPERATIONS.md.
 */
public final class HostConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(HostConfigLoader.class);

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, String> labels = new TreeMap<>();
  private final Path workDir;
  private Map<String, String> otel = Map.of();

  private HostConfigLoader(Path workDir) {
    this.workDir = workDir;
  }

  /**
   * @param env the process environment (tests pass their own)
   * @param configFile an explicit config file, or null to look for host_config.json in workDir
   * @param flags command-line values keyed like the JSON file (highest precedence)
   */
  public static HostConfig load(
      Map<String, String> env, @Nullable Path configFile, Map<String, String> flags, Path workDir) {
    HostConfigLoader l = new HostConfigLoader(workDir);
    l.layerDotEnv();
    l.layerFile(configFile);
    l.layerEnv(env, "environment");
    l.labels.putAll(Labels.fromEnvironment(env));
    l.otel = Tracing.variables(env);
    flags.forEach((k, v) -> l.set(k, v, "command line"));
    return l.build(TrellisDirs.resolve(env::get, System::getProperty), registryLogin(env));
  }

  /**
   * {@code OCI_REGISTRY} + {@code OCI_REGISTRY_USER} + {@code OCI_REGISTRY_PASSWORD}, read from the
   * environment only (as the OTP host does): a password does not belong in a config file.
   */
  private static HostConfig.@Nullable RegistryLogin registryLogin(Map<String, String> env) {
    String registry = env.get("OCI_REGISTRY");
    String user = env.get("OCI_REGISTRY_USER");
    String password = env.get("OCI_REGISTRY_PASSWORD");
    if (registry == null || registry.isBlank() || user == null || password == null) {
      return null;
    }
    return new HostConfig.RegistryLogin(
        registry.strip(), RegistryCredentials.basic(user, password));
  }

  private void set(String key, @Nullable String value, String source) {
    if (value != null) {
      values.put(key, value);
      sources.put(key, source);
    }
  }

  private void layerDotEnv() {
    Path p = workDir.resolve(".env");
    if (!Files.isRegularFile(p)) {
      return;
    }
    Map<String, String> env = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(p)) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || !t.contains("=")) {
          continue;
        }
        String k = t.substring(0, t.indexOf('=')).strip().replaceFirst("^export\\s+", "");
        String v = t.substring(t.indexOf('=') + 1).strip();
        if (v.length() >= 2
            && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        env.put(k, v);
      }
    } catch (IOException e) {
      throw new InvalidHostConfigException("cannot read " + p + ": " + e.getMessage(), e);
    }
    layerEnv(env, ".env file " + p);
    labels.putAll(Labels.fromEnvironment(env));
  }

  private void layerEnv(Map<String, String> env, String source) {
    env.forEach(
        (k, v) -> {
          String key = SettingNames.ENV_KEYS.get(k);
          if (key != null && !k.equals("WASMCLOUD_LOG_LEVEL")) {
            set(key, v, source + " " + k);
          } else if (k.startsWith(SettingNames.CHANGES_TOPIC_OVERRIDE)) {
            // resolved in build(), once the lattice prefix is known
            set(k, v, source + " " + k);
          }
        });
    // Applied last so it beats its deprecated alias WASMCLOUD_STRUCTURED_LOG_LEVEL whatever the
    // iteration order of the environment.
    if (env.containsKey("WASMCLOUD_LOG_LEVEL")) {
      set("log_level", env.get("WASMCLOUD_LOG_LEVEL"), source + " WASMCLOUD_LOG_LEVEL");
    }
  }

  private void layerFile(@Nullable Path explicit) {
    Path p = explicit != null ? explicit : workDir.resolve("host_config.json");
    if (!Files.isRegularFile(p)) {
      if (explicit != null) {
        throw new InvalidHostConfigException("config file " + explicit + " does not exist");
      }
      return;
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readAllBytes(p));
    } catch (IOException e) {
      throw new InvalidHostConfigException(
          "config file " + p + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidHostConfigException("config file " + p + " must hold a JSON object");
    }
    String source = "config file " + p;
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (!SettingNames.KNOWN_KEYS.contains(k)) {
        LOG.warn("{}: ignoring unknown setting '{}'", source, k);
        continue;
      }
      if (k.equals("labels")) {
        if (!v.isObject()) {
          throw new InvalidHostConfigException(
              source + ": 'labels' must be an object of strings, got " + v);
        }
        v.properties().forEach(l -> labels.put(l.getKey(), l.getValue().asText()));
      } else if (v.isArray()) {
        List<String> items = new ArrayList<>();
        v.forEach(i -> items.add(i.asText()));
        set(k, String.join(",", items), source);
      } else if (!v.isNull()) {
        set(k, v.asText(), source);
      }
    }
  }

  private HostConfig build(TrellisDirs dirs, HostConfig.@Nullable RegistryLogin ociLogin) {
    Path defaultHostConfig = dirs.hostConfig();
    String prefix = str("lattice_prefix", "default");
    if (prefix.isBlank() || !prefix.matches("[A-Za-z0-9_\\-]+")) {
      throw bad("lattice_prefix", "must be letters, digits, '-' or '_'");
    }
    KeyPair hostKey = key("host_seed", KeyType.SERVER);
    KeyPair clusterKey = key("cluster_seed", KeyType.CLUSTER);
    boolean generated = clusterKey == null;
    List<String> issuers = new ArrayList<>();
    for (String s : list("cluster_issuers")) {
      if (!KeyPair.isValidPublicKey(s, KeyType.CLUSTER)) {
        throw bad(
            "cluster_issuers",
            "entry '" + s + "' is not a cluster public key (C..., 56 characters)");
      }
      issuers.add(s);
    }
    if (generated) {
      clusterKey = KeyPair.generate(KeyType.CLUSTER);
      if (!issuers.isEmpty()) {
        LOG.warn(
            "cluster_issuers is set but no cluster seed is: as in wasmCloud, only the generated"
                + " cluster key {} is trusted; set WASMCLOUD_CLUSTER_SEED to keep the configured issuers",
            clusterKey.publicKey());
      }
      issuers.clear();
    }
    if (!issuers.contains(clusterKey.publicKey())) {
      issuers.add(0, clusterKey.publicKey());
    }
    String ctlPrefix = str("ctl_topic_prefix", "wasmbus.ctl");
    if (!ctlPrefix.matches("[^.*>\\s]+\\.[^.*>\\s]+")) {
      throw bad(
          "ctl_topic_prefix",
          "must be exactly two non-empty tokens without wildcards or spaces, such as wasmbus.ctl; got '"
              + ctlPrefix
              + "'");
    }
    Map<String, String> allLabels = new TreeMap<>(labels);
    allLabels.putAll(Labels.builtin());
    String friendly = str("friendly_name", "");
    Path out =
        values.containsKey("host_config") ? Path.of(values.get("host_config")) : defaultHostConfig;
    return new HostConfig(
        new HostConfig.Identity(
            hostKey == null ? KeyPair.generate(KeyType.SERVER) : hostKey,
            friendly.isBlank() ? FriendlyNames.next() : friendly,
            allLabels),
        new HostConfig.Lattice(
            prefix,
            ctlPrefix,
            emptyToNull(str("js_domain", "")),
            (int) num("lattice_replicas", 1, 1, 5)),
        new HostConfig.ClusterTrust(clusterKey, generated, issuers),
        new HostConfig.NatsEndpoints(
            endpoint("rpc"), endpoint("ctl"), providerEndpoint(), str("tls_ca_path", "")),
        new HostConfig.Timings(
            millis("rpc_timeout_ms", 2000, 1, 3_600_000),
            millis("heartbeat_interval_ms", 30_000, 100, 86_400_000),
            millis("provider_health_interval_ms", 30_000, 100, 86_400_000),
            millis(
                "liveness_interval_ms",
                HostConfig.Timings.DEFAULT_LIVENESS.toMillis(),
                0,
                3_600_000),
            millis(
                "provider_restart_backoff_max_ms",
                HostConfig.Timings.DEFAULT_RESTART_BACKOFF_MAX.toMillis(),
                1000,
                3_600_000)),
        new HostConfig.Limits(
            millis("call_timeout_ms", 10_000, 10, 3_600_000),
            (int) num("max_memory_pages", 2048, 18, 65536),
            millis("instance_idle_ms", 60_000, 10, 86_400_000)),
        new HostConfig.Artifacts(
            bool("enable_start_from_fs", false),
            num("max_artifact_bytes", 256L * 1024 * 1024, 1024, 4L * 1024 * 1024 * 1024),
            bool("allow_latest", false),
            list("allowed_insecure"),
            dirs.ociCache(),
            num("oci_cache_max_bytes", 2L * 1024 * 1024 * 1024, 0, 1L << 40),
            millis("oci_timeout_ms", 120_000, 100, 3_600_000),
            ociLogin),
        new HostConfig.Observability(
            (int) num("metrics_port", 0, 0, 65535),
            str("metrics_bind", "127.0.0.1"),
            bool("rpc_events", false),
            bool("structured_logging_enabled", false),
            str("log_level", "info"),
            otel),
        new HostConfig.Services(bool("config_service_enabled", false), policy(prefix)),
        new HostConfig.Compatibility(
            (int) num("provider_delay", 400, 0, 600_000), bool("enable_ipv6", false)),
        out);
  }

  private HostConfig.Policy policy(String prefix) {
    String override = values.get(SettingNames.CHANGES_TOPIC_OVERRIDE + prefix.replace('-', '_'));
    return new HostConfig.Policy(
        emptyToNull(str("policy_topic", "")),
        emptyToNull(override != null ? override.strip() : str("policy_changes_topic", "")),
        millis("policy_timeout_ms", 1000, 1, 600_000),
        num("policy_cache_max_entries", 10_000, 0, 10_000_000),
        millis("policy_cache_ttl_ms", 300_000, 1000, 604_800_000));
  }

  private NatsEndpoint endpoint(String p) {
    return new NatsEndpoint(
        str(p + "_host", "127.0.0.1"),
        (int) num(p + "_port", 4222, 1, 65535),
        str(p + "_seed", ""),
        str(p + "_jwt", ""),
        bool(p + "_tls", false),
        str(p + "_credsfile", ""));
  }

  /**
   * Providers get their own endpoint; an unset host, port or TLS switch defaults to the host's rpc
   * endpoint, but credentials never do: the host's seed would reach every provider process through
   * HostData (as in the OTP host, providers get credentials only when prov_rpc_* sets them).
   */
  private NatsEndpoint providerEndpoint() {
    NatsEndpoint rpc = endpoint("rpc");
    return new NatsEndpoint(
        str("prov_rpc_host", rpc.host()),
        (int) num("prov_rpc_port", rpc.port(), 1, 65535),
        str("prov_rpc_seed", ""),
        str("prov_rpc_jwt", ""),
        bool("prov_rpc_tls", rpc.tls()),
        "");
  }

  private String str(String key, String def) {
    String v = values.get(key);
    return v == null ? def : v.strip();
  }

  private long num(String key, long def, long min, long max) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    long n;
    try {
      n = Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw bad(key, "is not a number");
    }
    if (n < min || n > max) {
      throw bad(key, "must be between " + min + " and " + max);
    }
    return n;
  }

  private Duration millis(String key, long def, long min, long max) {
    return Duration.ofMillis(num(key, def, min, max));
  }

  private boolean bool(String key, boolean def) {
    try {
      return BooleanSetting.parse(key + " (" + sources.get(key) + ")", values.get(key), def);
    } catch (InvalidSettingException e) {
      throw new InvalidHostConfigException(e.getMessage(), e);
    }
  }

  private List<String> list(String key) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  private @Nullable KeyPair key(String key, KeyType type) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return KeyPair.fromSeed(v.strip(), type);
    } catch (InvalidKeyException e) {
      throw new InvalidHostConfigException(key + " (" + sources.get(key) + "): " + e.getMessage());
    }
  }

  private InvalidHostConfigException bad(String key, String why) {
    String v = values.get(key);
    boolean secret = key.endsWith("seed") || key.endsWith("jwt");
    return new InvalidHostConfigException(
        key
            + " ("
            + sources.getOrDefault(key, "default")
            + ") "
            + (v == null || secret ? "" : "'" + v + "' ")
            + why);
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
