package io.trellis.host.ctl;

import io.trellis.host.config.HostConfig;
import java.util.List;

/**
 * What ping and inventory report about a host that does not change while it runs: no keys, no
 * credentials.
 *
 * @param version what the host reports as its version
 * @param jsDomain the JetStream domain, or null when none is configured
 */
public record HostFacts(
    String hostId,
    String friendlyName,
    String version,
    String clusterPublicKey,
    List<String> clusterIssuers,
    String latticePrefix,
    String ctlTopicPrefix,
    String jsDomain,
    String ctlHost,
    String rpcHost,
    String providerRpcHost) {

  public HostFacts {
    clusterIssuers = List.copyOf(clusterIssuers);
  }

  public static HostFacts of(HostConfig c, String version) {
    return new HostFacts(
        c.hostId(),
        c.identity().friendlyName(),
        version,
        c.cluster().publicKey(),
        c.cluster().issuers(),
        c.lattice().prefix(),
        c.lattice().ctlTopicPrefix(),
        c.lattice().jsDomainOrNull(),
        c.nats().ctl().host(),
        c.nats().rpc().host(),
        c.nats().providerRpc().host());
  }
}
