package io.trellis.wasmbus.subjects;

/** Every NATS subject of the protocol, in one place (PROTOCOL.md §4.1, §8.1, §8.5). */
public final class Subjects {
  public static final String DEFAULT_CTL_PREFIX = "wasmbus.ctl";

  private Subjects() {}

  public static String actorRpc(String lattice, String actorKey) {
    return "wasmbus.rpc." + lattice + "." + actorKey;
  }

  public static String providerRpc(String lattice, String providerKey, String linkName) {
    return "wasmbus.rpc." + lattice + "." + providerKey + "." + linkName;
  }

  public static String linkdefsPut(String lattice, String providerKey, String linkName) {
    return providerRpc(lattice, providerKey, linkName) + ".linkdefs.put";
  }

  public static String linkdefsDel(String lattice, String providerKey, String linkName) {
    return providerRpc(lattice, providerKey, linkName) + ".linkdefs.del";
  }

  public static String health(String lattice, String providerKey, String linkName) {
    return providerRpc(lattice, providerKey, linkName) + ".health";
  }

  public static String shutdown(String lattice, String providerKey, String linkName) {
    return providerRpc(lattice, providerKey, linkName) + ".shutdown";
  }

  public static String events(String lattice) {
    return "wasmbus.evt." + lattice;
  }

  /** Trellis: a host's liveness signal (PROTOCOL.md §15.6). */
  public static String alive(String lattice, String hostId) {
    return "wasmbus.alive." + lattice + "." + hostId;
  }

  /** Trellis: every host's liveness signal, for a subscription. */
  public static String aliveAll(String lattice) {
    return "wasmbus.alive." + lattice + ".*";
  }

  public static String rpcEvents(String lattice) {
    return "wasmbus.rpcevt." + lattice;
  }
}
