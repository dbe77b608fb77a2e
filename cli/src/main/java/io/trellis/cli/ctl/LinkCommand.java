package io.trellis.cli.ctl;

import io.trellis.ctl.CtlClient;
import io.trellis.ctl.CtlRejectedException;
import io.trellis.ctl.EventWaiter;
import io.trellis.ctl.LatticeEventMessage;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code trellis ctl link put|del|query}. */
@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description = "Create, delete and list link definitions.",
    subcommands = {LinkCommand.Put.class, LinkCommand.Del.class, LinkCommand.Query.class})
final class LinkCommand {

  static int printLinks(CtlOptions ctl) {
    try (CtlClient c = ctl.connect()) {
      List<LinkDefinition> links = c.links();
      if (ctl.json()) {
        JsonOut.print(ctl.out(), JsonOut.list("links", links, LinkDefinition::toJson));
      } else {
        LatticeTables.links(ctl.out(), links);
      }
      return 0;
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description =
          "Link an actor to a provider for a contract; K=V pairs become the link's values.")
  static final class Put implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "ACTOR_ID")
    String actorId;

    @Parameters(index = "1", paramLabel = "PROVIDER_ID")
    String providerId;

    @Parameters(index = "2", paramLabel = "CONTRACT_ID", description = "e.g. wasmcloud:httpserver")
    String contractId;

    @Parameters(
        index = "3..*",
        paramLabel = "K=V",
        description = "link values, e.g. address=0.0.0.0:8080")
    @Nullable List<String> values;

    @Option(
        names = {"-l", "--link-name"},
        defaultValue = "default",
        description = "default: ${DEFAULT-VALUE}")
    String linkName;

    @Option(
        names = "--wait",
        paramLabel = "MS",
        defaultValue = "0",
        description =
            "after the put, watch this many milliseconds for a provider refusing the link"
                + " (event linkdef_set_failed, e.g. a conflicting HTTP route) and fail if one"
                + " does; default 0: do not wait")
    long waitMs;

    @Override
    public Integer call() {
      Map<String, String> v = KeyValues.parse(ctl.spec.commandLine(), values, "link value");
      if (waitMs < 0) {
        throw new ParameterException(
            ctl.spec.commandLine(), "--wait must not be negative, got " + waitMs);
      }
      try (CtlClient c = ctl.connect();
          EventWaiter refusals = c.waitFor(this::refusesThisLink)) {
        Ack ack = c.putLink(LinkDefinition.of(actorId, providerId, linkName, contractId, v));
        if (ack.accepted() && waitMs > 0) {
          Optional<LatticeEventMessage> refused = refusals.next(Duration.ofMillis(waitMs));
          if (refused.isPresent()) {
            throw new CtlRejectedException(
                "the link is stored, but provider "
                    + providerId
                    + " on host "
                    + refused.get().source()
                    + " refused it: "
                    + refused.get().text("error")
                    + " (it stays in the lattice until deleted: trellis ctl link del "
                    + actorId
                    + " "
                    + contractId
                    + " -l "
                    + linkName
                    + ")",
                refused.get().text("error"));
          }
        }
        AckOutput.report(
            ctl,
            ack,
            "link put was refused",
            "Published link ("
                + actorId
                + ") <-> ("
                + providerId
                + ") for "
                + contractId
                + " with link name '"
                + linkName
                + "'");
        return 0;
      }
    }

    private boolean refusesThisLink(LatticeEventMessage e) {
      return e.type().equals("linkdef_set_failed")
          && e.text("actor_id").equals(actorId)
          && e.text("provider_id").equals(providerId)
          && e.text("link_name").equals(linkName)
          && e.text("contract_id").equals(contractId);
    }
  }

  @Command(
      name = "del",
      mixinStandardHelpOptions = true,
      description = "Delete an actor's link for a contract.")
  static final class Del implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "ACTOR_ID")
    String actorId;

    @Parameters(index = "1", paramLabel = "CONTRACT_ID")
    String contractId;

    @Option(
        names = {"-l", "--link-name"},
        defaultValue = "default",
        description = "default: ${DEFAULT-VALUE}")
    String linkName;

    @Override
    public Integer call() {
      try (CtlClient c = ctl.connect()) {
        Ack ack = c.deleteLink(actorId, contractId, linkName);
        AckOutput.report(
            ctl,
            ack,
            "link delete was refused",
            "Deleted link for "
                + actorId
                + " on "
                + contractId
                + " with link name '"
                + linkName
                + "'");
        return 0;
      }
    }
  }

  @Command(
      name = "query",
      mixinStandardHelpOptions = true,
      description = "List every link definition.")
  static final class Query implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Override
    public Integer call() {
      return printLinks(ctl);
    }
  }
}
