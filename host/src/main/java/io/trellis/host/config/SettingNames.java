package io.trellis.host.config;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The names of the host's settings: environment variables, config keys, file-only keys. */
final class SettingNames {
  /** Environment variable → config key (PROTOCOL.md §10.2, plus TRELLIS_* extensions). */
  static final Map<String, String> ENV_KEYS =
      Map.ofEntries(
          Map.entry("WASMCLOUD_LATTICE_PREFIX", "lattice_prefix"),
          Map.entry("WASMCLOUD_HOST_SEED", "host_seed"),
          Map.entry("WASMCLOUD_CLUSTER_SEED", "cluster_seed"),
          Map.entry("WASMCLOUD_CLUSTER_ISSUERS", "cluster_issuers"),
          Map.entry("WASMCLOUD_RPC_HOST", "rpc_host"),
          Map.entry("WASMCLOUD_RPC_PORT", "rpc_port"),
          Map.entry("WASMCLOUD_RPC_SEED", "rpc_seed"),
          Map.entry("WASMCLOUD_RPC_JWT", "rpc_jwt"),
          Map.entry("WASMCLOUD_RPC_TLS", "rpc_tls"),
          Map.entry("WASMCLOUD_RPC_CREDSFILE", "rpc_credsfile"),
          Map.entry("WASMCLOUD_RPC_TIMEOUT_MS", "rpc_timeout_ms"),
          Map.entry("WASMCLOUD_PROV_RPC_HOST", "prov_rpc_host"),
          Map.entry("WASMCLOUD_PROV_RPC_PORT", "prov_rpc_port"),
          Map.entry("WASMCLOUD_PROV_RPC_SEED", "prov_rpc_seed"),
          Map.entry("WASMCLOUD_PROV_RPC_JWT", "prov_rpc_jwt"),
          Map.entry("WASMCLOUD_PROV_RPC_TLS", "prov_rpc_tls"),
          Map.entry("WASMCLOUD_CTL_HOST", "ctl_host"),
          Map.entry("WASMCLOUD_CTL_PORT", "ctl_port"),
          Map.entry("WASMCLOUD_CTL_SEED", "ctl_seed"),
          Map.entry("WASMCLOUD_CTL_JWT", "ctl_jwt"),
          Map.entry("WASMCLOUD_CTL_TLS", "ctl_tls"),
          Map.entry("WASMCLOUD_CTL_CREDSFILE", "ctl_credsfile"),
          Map.entry("WASMCLOUD_CTL_TOPIC_PREFIX", "ctl_topic_prefix"),
          Map.entry("WASMCLOUD_TLS_CA_PATH", "tls_ca_path"),
          Map.entry("WASMCLOUD_JS_DOMAIN", "js_domain"),
          Map.entry("WASMCLOUD_PROV_SHUTDOWN_DELAY_MS", "provider_delay"),
          Map.entry("WASMCLOUD_OCI_ALLOW_LATEST", "allow_latest"),
          Map.entry("WASMCLOUD_OCI_ALLOWED_INSECURE", "allowed_insecure"),
          Map.entry("WASMCLOUD_ALLOW_FILE_LOAD", "enable_start_from_fs"),
          Map.entry("WASMCLOUD_CONFIG_SERVICE", "config_service_enabled"),
          Map.entry("WASMCLOUD_STRUCTURED_LOGGING_ENABLED", "structured_logging_enabled"),
          Map.entry("WASMCLOUD_STRUCTURED_LOG_LEVEL", "log_level"),
          Map.entry("WASMCLOUD_LOG_LEVEL", "log_level"),
          Map.entry("WASMCLOUD_ENABLE_IPV6", "enable_ipv6"),
          Map.entry("WASMCLOUD_POLICY_TOPIC", "policy_topic"),
          Map.entry("WASMCLOUD_POLICY_CHANGES_TOPIC", "policy_changes_topic"),
          Map.entry("WASMCLOUD_POLICY_TIMEOUT", "policy_timeout_ms"),
          Map.entry("HOST_CONFIG", "host_config"),
          Map.entry("TRELLIS_FRIENDLY_NAME", "friendly_name"),
          Map.entry("TRELLIS_HEARTBEAT_INTERVAL_MS", "heartbeat_interval_ms"),
          Map.entry("TRELLIS_LIVENESS_INTERVAL_MS", "liveness_interval_ms"),
          Map.entry("TRELLIS_METRICS_PORT", "metrics_port"),
          Map.entry("TRELLIS_METRICS_BIND", "metrics_bind"),
          Map.entry("TRELLIS_RPC_EVENTS", "rpc_events"),
          Map.entry("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "provider_health_interval_ms"),
          Map.entry("TRELLIS_MAX_ARTIFACT_BYTES", "max_artifact_bytes"),
          Map.entry("TRELLIS_OCI_CACHE_MAX_BYTES", "oci_cache_max_bytes"),
          Map.entry("TRELLIS_OCI_TIMEOUT_MS", "oci_timeout_ms"),
          Map.entry("TRELLIS_CALL_TIMEOUT_MS", "call_timeout_ms"),
          Map.entry("TRELLIS_MAX_MEMORY_PAGES", "max_memory_pages"),
          Map.entry("TRELLIS_POLICY_CACHE_MAX", "policy_cache_max_entries"),
          Map.entry("TRELLIS_POLICY_CACHE_TTL_MS", "policy_cache_ttl_ms"),
          Map.entry("TRELLIS_INSTANCE_IDLE_MS", "instance_idle_ms"),
          Map.entry("TRELLIS_LATTICE_REPLICAS", "lattice_replicas"),
          Map.entry("TRELLIS_PROVIDER_RESTART_BACKOFF_MAX_MS", "provider_restart_backoff_max_ms"));

  /** OTP's per-lattice override of the changes topic: this plus the prefix, '-' → '_'. */
  static final String CHANGES_TOPIC_OVERRIDE = "WASMCLOUD_POLICY_CHANGES_TOPIC_";

  /**
   * Keys a config file may hold: every setting plus what host_config.json records about the host.
   */
  static final Set<String> KNOWN_KEYS =
      Stream.concat(
              ENV_KEYS.values().stream(), Stream.of("labels", "cluster_key", "host_id", "version"))
          .collect(Collectors.toUnmodifiableSet());

  private SettingNames() {}
}
