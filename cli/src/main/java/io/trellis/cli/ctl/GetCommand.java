package io.trellis.cli.ctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.ctl.CtlClient;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code trellis ctl get hosts|inventory|claims|links}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Query the lattice.",
    subcommands = {
      GetCommand.Hosts.class,
      GetCommand.Inventory.class,
      GetCommand.Claims.class,
      GetCommand.Links.class
    })
final class GetCommand {

  @Command(
      name = "hosts",
      mixinStandardHelpOptions = true,
      description = "List the hosts that answer a ping within the timeout.")
  static final class Hosts implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Override
    public Integer call() {
      try (CtlClient c = ctl.connect()) {
        List<HostInfo> hosts = c.pingHosts();
        if (ctl.json()) {
          JsonOut.print(ctl.out(), JsonOut.list("hosts", hosts, HostInfo::toJson));
        } else {
          LatticeTables.hosts(ctl.out(), hosts, c.latticePrefix());
        }
        return 0;
      }
    }
  }

  @Command(
      name = "inventory",
      mixinStandardHelpOptions = true,
      description =
          "Show the actors and providers of one host, or of every host that answers a ping.")
  static final class Inventory implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST_ID", description = "a host id (N…)")
    @Nullable String hostId;

    @Override
    public Integer call() {
      try (CtlClient c = ctl.connect()) {
        if (hostId != null) {
          HostInventory inv = c.inventory(hostId);
          if (ctl.json()) {
            JsonOut.print(ctl.out(), JsonOut.tree(inv.toJson()));
          } else {
            LatticeTables.inventory(ctl.out(), inv);
          }
          return 0;
        }
        List<HostInventory> all = new ArrayList<>();
        for (HostInfo h : c.pingHosts()) {
          all.add(c.inventory(h.id()));
        }
        if (ctl.json()) {
          ObjectNode o = JsonOut.object();
          ArrayNode a = o.putArray("inventories");
          all.forEach(i -> a.add(JsonOut.tree(i.toJson())));
          JsonOut.print(ctl.out(), o);
        } else if (all.isEmpty()) {
          ctl.out().println("No hosts responded in lattice '" + c.latticePrefix() + "'");
          ctl.out().flush();
        } else {
          for (int i = 0; i < all.size(); i++) {
            if (i > 0) {
              ctl.out().println();
            }
            LatticeTables.inventory(ctl.out(), all.get(i));
          }
        }
        return 0;
      }
    }
  }

  @Command(
      name = "claims",
      mixinStandardHelpOptions = true,
      description = "List the claims of every actor and provider the lattice has seen.")
  static final class Claims implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Override
    public Integer call() {
      try (CtlClient c = ctl.connect()) {
        List<ClaimsRecord> claims = c.claims();
        if (ctl.json()) {
          JsonOut.print(ctl.out(), JsonOut.list("claims", claims, ClaimsRecord::toJson));
        } else {
          LatticeTables.claims(ctl.out(), claims);
        }
        return 0;
      }
    }
  }

  @Command(
      name = "links",
      mixinStandardHelpOptions = true,
      description = "List every link definition.")
  static final class Links implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Override
    public Integer call() {
      return LinkCommand.printLinks(ctl);
    }
  }
}
