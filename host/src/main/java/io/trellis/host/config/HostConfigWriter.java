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
 * Writes the effective configuration as the wasmCloud host does (spec 10.1), so a second host can
 * join the same lattice with {@code --config}. The file holds the cluster seed, so it is written
 * with mode 600.
 */
public final class HostConfigWriter {
  private HostConfigWriter() {}

  public static ObjectNode toJson(HostConfig c) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("lattice_prefix", c.latticePrefix());
    o.put("cluster_seed", c.clusterKey().seed());
    o.put("cluster_key", c.clusterPublicKey());
    ArrayNode issuers = o.putArray("cluster_issuers");
    c.clusterIssuers().forEach(issuers::add);
    endpoint(o, "rpc", c.rpc());
    o.put("rpc_timeout_ms", c.rpcTimeout().toMillis());
    o.put("prov_rpc_host", c.providerRpc().host());
    o.put("prov_rpc_port", c.providerRpc().port());
    o.put("prov_rpc_seed", c.providerRpc().seed());
    o.put("prov_rpc_jwt", c.providerRpc().jwt());
    o.put("prov_rpc_tls", c.providerRpc().tls() ? 1 : 0);
    endpoint(o, "ctl", c.ctl());
    o.put("ctl_topic_prefix", c.ctlTopicPrefix());
    if (c.jsDomainOrNull() == null) {
      o.putNull("js_domain");
    } else {
      o.put("js_domain", c.jsDomain());
    }
    o.put("provider_delay", c.providerDelayMs());
    o.put("allow_latest", c.allowLatest());
    ArrayNode insecure = o.putArray("allowed_insecure");
    c.allowedInsecure().forEach(insecure::add);
    o.put("enable_start_from_fs", c.enableStartFromFs());
    o.put("config_service_enabled", c.configServiceEnabled());
    o.put("enable_ipv6", c.enableIpv6());
    putNullable(o, "policy_topic", c.policyTopic());
    putNullable(o, "policy_changes_topic", c.policyChangesTopic());
    o.put("policy_timeout_ms", c.policyTimeout().toMillis());
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
