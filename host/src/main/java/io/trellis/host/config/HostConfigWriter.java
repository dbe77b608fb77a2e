package io.trellis.host.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * Writes the effective configuration as the wasmCloud host does (PROTOCOL.md §10.1), so a second
 * host can join the same lattice with {@code --config}. The file holds the cluster seed, so it is
 * written with mode 600.
 */
public final class HostConfigWriter {
  private HostConfigWriter() {}

  public static ObjectNode toJson(HostConfig c) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    HostConfig.Lattice lattice = c.lattice();
    HostConfig.ClusterTrust cluster = c.cluster();
    HostConfig.NatsEndpoints nats = c.nats();
    HostConfig.Artifacts artifacts = c.artifacts();
    HostConfig.Compatibility compat = c.compatibility();
    HostConfig.Policy policy = c.services().policy();
    o.put("lattice_prefix", lattice.prefix());
    o.put("cluster_seed", cluster.key().seed());
    o.put("cluster_key", cluster.publicKey());
    ArrayNode issuers = o.putArray("cluster_issuers");
    cluster.issuers().forEach(issuers::add);
    endpoint(o, "rpc", nats.rpc());
    o.put("rpc_timeout_ms", c.timings().rpcTimeout().toMillis());
    o.put("prov_rpc_host", nats.providerRpc().host());
    o.put("prov_rpc_port", nats.providerRpc().port());
    o.put("prov_rpc_seed", nats.providerRpc().seed());
    o.put("prov_rpc_jwt", nats.providerRpc().jwt());
    o.put("prov_rpc_tls", nats.providerRpc().tls() ? 1 : 0);
    endpoint(o, "ctl", nats.ctl());
    if (!nats.tlsCaPath().isEmpty()) {
      o.put("tls_ca_path", nats.tlsCaPath());
    }
    o.put("ctl_topic_prefix", lattice.ctlTopicPrefix());
    if (lattice.jsDomainOrNull() == null) {
      o.putNull("js_domain");
    } else {
      o.put("js_domain", lattice.jsDomain());
    }
    o.put("provider_delay", compat.providerShutdownDelayMs());
    o.put("allow_latest", artifacts.allowLatest());
    ArrayNode insecure = o.putArray("allowed_insecure");
    artifacts.allowedInsecure().forEach(insecure::add);
    o.put("enable_start_from_fs", artifacts.startFromFs());
    o.put("config_service_enabled", c.services().configService());
    o.put("enable_ipv6", compat.enableIpv6());
    putNullable(o, "policy_topic", policy.topic());
    putNullable(o, "policy_changes_topic", policy.changesTopic());
    o.put("policy_timeout_ms", policy.timeout().toMillis());
    o.put("policy_cache_max_entries", policy.cacheMaxEntries());
    o.put("policy_cache_ttl_ms", policy.cacheTtl().toMillis());
    return o;
  }

  private static void endpoint(ObjectNode o, String p, NatsEndpoint e) {
    o.put(p + "_host", e.host());
    o.put(p + "_port", e.port());
    o.put(p + "_seed", e.seed());
    o.put(p + "_jwt", e.jwt());
    o.put(p + "_tls", e.tls());
    if (!e.credsFile().isEmpty()) {
      o.put(p + "_credsfile", e.credsFile());
    }
  }

  private static void putNullable(ObjectNode o, String k, @Nullable String v) {
    if (v == null) {
      o.putNull(k);
    } else {
      o.put(k, v);
    }
  }

  public static void write(HostConfig c) throws IOException {
    Path out = c.hostConfigOut().toAbsolutePath();
    Files.createDirectories(out.getParent());
    Path tmp = Files.createTempFile(out.getParent(), ".host_config", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not POSIX: rely on the user profile's ACLs
    }
    Files.writeString(tmp, toJson(c).toPrettyString() + "\n");
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
