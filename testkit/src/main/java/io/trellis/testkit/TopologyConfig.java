package io.trellis.testkit;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Config blocks for multi-server topologies (nats-server 2.9 syntax).
 *
 * <p>Why the accounts block: a server with both gateways and leaf nodes refuses to start without an
 * explicit system account ("leaf nodes and gateways (both being defined) require a system
 * account"), and {@code nats-server -t} does not catch it. Every topology server therefore gets
 * account {@code APP} (JetStream enabled, where clients land through {@code no_auth_user}) and the
 * system account {@code SYS}. Leaf remotes authenticate as {@code app} and bind the local APP
 * account, so JetStream domain mappings ({@code $JS.<domain>.API}) are set up by the server itself.
 * Test-only credentials, loopback only.
 */
final class TopologyConfig {
  private TopologyConfig() {}

  static String accounts() {
    return """
        accounts {
          APP: { jetstream: enabled, users: [ { user: app, password: app } ] }
          SYS: { users: [ { user: sys, password: sys } ] }
        }
        system_account: SYS
        no_auth_user: app
        """;
  }

  static String cluster(String name, int listenPort, List<Integer> routePorts) {
    return "cluster {\n  name: \""
        + name
        + "\"\n  listen: \"127.0.0.1:"
        + listenPort
        + "\"\n"
        + "  routes: [ "
        + urls("nats-route", routePorts)
        + " ]\n}\n";
  }

  /** A gateway block; {@code clusters} maps each cluster name to its members' gateway ports. */
  static String gateway(String name, int listenPort, Map<String, List<Integer>> clusters) {
    String gws =
        clusters.entrySet().stream()
            .map(
                e ->
                    "    { name: \""
                        + e.getKey()
                        + "\", urls: [ "
                        + urls("nats", e.getValue())
                        + " ] }")
            .collect(Collectors.joining("\n"));
    return "gateway {\n  name: \""
        + name
        + "\"\n  listen: \"127.0.0.1:"
        + listenPort
        + "\"\n"
        + "  gateways: [\n"
        + gws
        + "\n  ]\n}\n";
  }

  static String leafListen(int port) {
    return "leafnodes {\n  listen: \"127.0.0.1:" + port + "\"\n}\n";
  }

  /** A leaf remote to the hub servers' leaf ports, binding the local APP account. */
  static String leafRemote(List<Integer> hubLeafPorts) {
    String urls =
        hubLeafPorts.stream()
            .map(p -> "\"nats-leaf://app:app@127.0.0.1:" + p + "\"")
            .collect(Collectors.joining(", "));
    return "leafnodes {\n  reconnect: 1\n  remotes: [ { urls: [ "
        + urls
        + " ], account: APP } ]\n}\n";
  }

  private static String urls(String scheme, List<Integer> ports) {
    return ports.stream()
        .map(p -> "\"" + scheme + "://127.0.0.1:" + p + "\"")
        .collect(Collectors.joining(", "));
  }
}
