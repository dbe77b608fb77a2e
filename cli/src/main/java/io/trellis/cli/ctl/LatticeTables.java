package io.trellis.cli.ctl;

import io.trellis.cli.support.Table;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.link.LinkDefinition;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

/** The text forms of query results, as tables like wash prints. */
final class LatticeTables {
  private LatticeTables() {}

  static void hosts(PrintWriter out, List<HostInfo> hosts, String lattice) {
    if (hosts.isEmpty()) {
      out.println("No hosts responded in lattice '" + lattice + "'");
      out.flush();
      return;
    }
    Table t = new Table("HOST ID", "FRIENDLY NAME", "UPTIME", "VERSION", "LABELS");
    hosts.stream()
        .sorted(Comparator.comparing(HostInfo::friendlyName))
        .forEach(
            h ->
                t.row(
                    h.id(),
                    h.friendlyName(),
                    h.uptimeHuman(),
                    h.version(),
                    KeyValues.show(h.labels())));
    t.print(out);
  }

  static void inventory(PrintWriter out, HostInventory inv) {
    out.println("Host " + inv.hostId() + " (" + inv.friendlyName() + ")");
    out.println("Labels: " + KeyValues.show(inv.labels()));
    out.println();
    if (inv.actors().isEmpty()) {
      out.println("No actors running");
    } else {
      Table t = new Table("ACTOR ID", "NAME", "INSTANCES", "REVISION", "IMAGE REF");
      for (HostInventory.Actor a : inv.actors()) {
        String rev =
            a.instances().stream()
                .map(i -> Long.toString(i.revision()))
                .distinct()
                .reduce((x, y) -> x + "," + y)
                .orElse("");
        t.row(
            a.id(),
            a.name(),
            a.instances().size(),
            rev,
            a.imageRef() == null ? "(none)" : a.imageRef());
      }
      t.print(out);
    }
    out.println();
    if (inv.providers().isEmpty()) {
      out.println("No providers running");
    } else {
      Table t =
          new Table("PROVIDER ID", "NAME", "CONTRACT ID", "LINK NAME", "REVISION", "IMAGE REF");
      for (HostInventory.Provider p : inv.providers()) {
        t.row(
            p.id(),
            p.name(),
            p.contractId(),
            p.linkName(),
            p.revision(),
            p.imageRef() == null ? "(none)" : p.imageRef());
      }
      t.print(out);
    }
    out.flush();
  }

  static void claims(PrintWriter out, List<ClaimsRecord> claims) {
    if (claims.isEmpty()) {
      out.println("No claims found");
      out.flush();
      return;
    }
    Table t =
        new Table(
            "PUBLIC KEY",
            "NAME",
            "KIND",
            "CAPABILITIES / CONTRACT",
            "REVISION",
            "VERSION",
            "CALL ALIAS",
            "ISSUER");
    claims.stream()
        .sorted(Comparator.comparing(ClaimsRecord::subject))
        .forEach(
            c ->
                t.row(
                    c.subject(),
                    c.name(),
                    c.isProvider() ? "provider" : "actor",
                    c.isProvider()
                        ? c.contractId()
                        : (c.caps() == null || c.caps().isEmpty() ? "none" : c.caps()),
                    c.revision(),
                    c.version(),
                    c.callAlias(),
                    c.issuer()));
    t.print(out);
  }

  static void links(PrintWriter out, List<LinkDefinition> links) {
    if (links.isEmpty()) {
      out.println("No links found");
      out.flush();
      return;
    }
    Table t = new Table("ACTOR ID", "PROVIDER ID", "CONTRACT ID", "LINK NAME", "VALUES");
    links.stream()
        .sorted(
            Comparator.comparing(LinkDefinition::actorId).thenComparing(LinkDefinition::contractId))
        .forEach(
            l ->
                t.row(
                    l.actorId(),
                    l.providerId(),
                    l.contractId(),
                    l.linkName(),
                    KeyValues.show(l.values())));
    t.print(out);
  }
}
