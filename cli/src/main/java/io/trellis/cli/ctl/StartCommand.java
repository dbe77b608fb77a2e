package io.trellis.cli.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.ctl.ActorStarted;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.LatticeEventMessage;
import io.trellis.ctl.ProviderStarted;
import io.trellis.wasmbus.ctl.Ack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis ctl start actor|provider}: place by auction unless a host is named, send the start
 * command, then wait for the host's verdict event, with progress on stderr.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = "Start actors and providers.",
    subcommands = {StartCommand.Actor.class, StartCommand.Provider.class})
final class StartCommand {

  /** Options shared by both start commands. */
  static final class Placing {
    @Option(
        names = {"-c", "--constraint"},
        paramLabel = "K=V",
        description = "host label the auction requires; repeatable")
    @Nullable List<String> constraints;

    @Option(
        names = {"-a", "--annotation"},
        paramLabel = "K=V",
        description = "annotation to attach; repeatable")
    @Nullable List<String> annotations;

    @Option(
        names = "--host-id",
        paramLabel = "HOST_ID",
        description = "start on this host; skips the auction")
    @Nullable String hostId;

    @Option(
        names = "--auction-timeout-ms",
        paramLabel = "MS",
        defaultValue = "2000",
        description = "how long to wait for bids (default ${DEFAULT-VALUE})")
    long auctionTimeoutMs;

    @Option(
        names = "--pick",
        paramLabel = "first|random",
        defaultValue = "first",
        description =
            "first: the quickest bidder (default); random: any bidder, after the whole auction window")
    Placement.Pick pick;

    @Option(
        names = "--wait-timeout-ms",
        paramLabel = "MS",
        defaultValue = "30000",
        description = "how long to wait for the started or failed event (default ${DEFAULT-VALUE})")
    long waitTimeoutMs;

    @Option(names = "--skip-wait", description = "return once the host accepted the command")
    boolean skipWait;

    Duration auctionWait(CtlOptions ctl) {
      return ctl.positive(auctionTimeoutMs, "--auction-timeout-ms");
    }

    Duration wait(CtlOptions ctl) {
      return ctl.positive(waitTimeoutMs, "--wait-timeout-ms");
    }
  }

  @Command(
      name = "actor",
      mixinStandardHelpOptions = true,
      description =
          "Start instances of an actor from a file, a file:// or http(s):// URL, or an OCI"
              + " reference (registry[:port]/repository:tag or @sha256:...), which the host pulls.")
  static final class Actor implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Mixin Placing placing;

    @Parameters(
        index = "0",
        paramLabel = "REF",
        description = "path, file://, http(s):// URL or OCI reference")
    String ref;

    @Option(
        names = "--count",
        paramLabel = "N",
        defaultValue = "1",
        description = "instances to start (default ${DEFAULT-VALUE})")
    int count;

    @Override
    public Integer call() {
      if (count < 1) {
        throw new ParameterException(ctl.commandLine(), "--count must be at least 1, got " + count);
      }
      String actorRef = Refs.normalize(ref, Path.of("").toAbsolutePath());
      Map<String, String> constraints =
          KeyValues.parse(ctl.commandLine(), placing.constraints, "--constraint");
      Map<String, String> annotations =
          KeyValues.parse(ctl.commandLine(), placing.annotations, "--annotation");
      try (CtlClient c = ctl.connect()) {
        String host =
            placing.hostId != null
                ? placing.hostId
                : Placement.actorHost(
                    c, ctl, actorRef, constraints, placing.auctionWait(ctl), placing.pick);
        if (placing.skipWait) {
          Ack ack = c.startActor(host, actorRef, count, annotations);
          AckOutput.report(
              ctl,
              ack,
              "host " + host + " refused to start actor " + actorRef,
              "Host " + host + " accepted starting " + count + " instance(s) of " + actorRef,
              JsonOut.ack(ack).put("host_id", host));
          return 0;
        }
        ctl.err()
            .println(
                "Starting " + count + " instance(s) of " + actorRef + " on host " + host + "…");
        ctl.err().flush();
        ActorStarted s =
            c.startActorAndWait(
                host, actorRef, count, annotations, placing.wait(ctl), this::progress);
        if (ctl.json()) {
          ObjectNode o =
              JsonOut.object()
                  .put("accepted", true)
                  .put("error", "")
                  .put("host_id", s.hostId())
                  .put("actor_id", s.actorId())
                  .put("name", s.name())
                  .put("image_ref", s.imageRef())
                  .put("count", s.count());
          JsonOut.print(ctl.out(), o);
        } else {
          ctl.out()
              .println(
                  "Actor "
                      + s.actorId()
                      + " ("
                      + s.name()
                      + ") started on host "
                      + s.hostId()
                      + " ("
                      + s.count()
                      + (s.count() == 1 ? " instance)" : " instances)"));
          ctl.out().flush();
        }
        return 0;
      }
    }

    private void progress(LatticeEventMessage e) {
      if (e.type().equals("actor_started")) {
        ctl.err()
            .println(
                "  instance " + e.text("instance_id") + " of " + e.text("public_key") + " started");
        ctl.err().flush();
      }
    }
  }

  @Command(
      name = "provider",
      mixinStandardHelpOptions = true,
      description =
          "Start a capability provider from a provider archive: a .par/.par.gz file, an http(s)://"
              + " URL, or an OCI reference, which the host pulls.")
  static final class Provider implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Mixin Placing placing;

    @Parameters(
        index = "0",
        paramLabel = "REF",
        description = "path, file://, http(s):// URL or OCI reference")
    String ref;

    @Option(
        names = {"-l", "--link-name"},
        defaultValue = "default",
        description = "default: ${DEFAULT-VALUE}")
    String linkName;

    @Option(
        names = "--config-json",
        paramLabel = "JSON",
        description = "configuration handed to the provider")
    @Nullable String configJson;

    @Override
    public Integer call() {
      String providerRef = Refs.normalize(ref, Path.of("").toAbsolutePath());
      Map<String, String> constraints =
          KeyValues.parse(ctl.commandLine(), placing.constraints, "--constraint");
      Map<String, String> annotations =
          KeyValues.parse(ctl.commandLine(), placing.annotations, "--annotation");
      try (CtlClient c = ctl.connect()) {
        String host =
            placing.hostId != null
                ? placing.hostId
                : Placement.providerHost(
                    c,
                    ctl,
                    providerRef,
                    linkName,
                    constraints,
                    placing.auctionWait(ctl),
                    placing.pick);
        if (placing.skipWait) {
          Ack ack = c.startProvider(host, providerRef, linkName, configJson, annotations);
          AckOutput.report(
              ctl,
              ack,
              "host " + host + " refused to start provider " + providerRef,
              "Host "
                  + host
                  + " accepted starting provider "
                  + providerRef
                  + " with link name '"
                  + linkName
                  + "'",
              JsonOut.ack(ack).put("host_id", host));
          return 0;
        }
        ctl.err()
            .println(
                "Starting provider "
                    + providerRef
                    + " with link name '"
                    + linkName
                    + "' on host "
                    + host
                    + "…");
        ctl.err().flush();
        ProviderStarted s =
            c.startProviderAndWait(
                host, providerRef, linkName, configJson, annotations, placing.wait(ctl));
        if (ctl.json()) {
          ObjectNode o =
              JsonOut.object()
                  .put("accepted", true)
                  .put("error", "")
                  .put("host_id", s.hostId())
                  .put("provider_id", s.providerId())
                  .put("name", s.name())
                  .put("image_ref", s.imageRef())
                  .put("link_name", s.linkName())
                  .put("contract_id", s.contractId());
          JsonOut.print(ctl.out(), o);
        } else {
          ctl.out()
              .println(
                  "Provider "
                      + s.providerId()
                      + " ("
                      + s.name()
                      + ") started on host "
                      + s.hostId()
                      + " with link name '"
                      + s.linkName()
                      + "' for "
                      + s.contractId());
          ctl.out().flush();
        }
        return 0;
      }
    }
  }
}
