package io.trellis.wasmbus.ctl;

/** Control-interface subjects (PROTOCOL.md §8.1): {@code {ctl}.{lattice}.…}. */
public final class CtlSubjects {
  private final String base;

  /**
   * @param ctlPrefix two tokens, default {@code wasmbus.ctl}
   */
  public CtlSubjects(String ctlPrefix, String lattice) {
    this.base = ctlPrefix + "." + lattice + ".";
  }

  public String pingHosts() {
    return base + "ping.hosts";
  }

  public String auctionActor() {
    return base + "auction.actor";
  }

  public String auctionProvider() {
    return base + "auction.provider";
  }

  public String auctions() {
    return base + "auction.>";
  }

  public String registriesPut() {
    return base + "registries.put";
  }

  public String linkdefsPut() {
    return base + "linkdefs.put";
  }

  public String linkdefsDel() {
    return base + "linkdefs.del";
  }

  public String linkdefs() {
    return base + "linkdefs.*";
  }

  public String getClaims() {
    return base + "get.claims";
  }

  public String getLinks() {
    return base + "get.links";
  }

  public String getAny() {
    return base + "get.*";
  }

  public String inventory(String hostId) {
    return base + "get." + hostId + ".inv";
  }

  /** {@code cmd.{host}.{command}}: la, sa, scale, upd, lp, sp, stop, label.put, label.del. */
  public String command(String hostId, String command) {
    return base + "cmd." + hostId + "." + command;
  }

  public String commands(String hostId) {
    return base + "cmd." + hostId + ".>";
  }

  /** The queue group for load-shared queries: {@code {ctl}.{lattice}}. */
  public String queueGroup() {
    return base.substring(0, base.length() - 1);
  }
}
