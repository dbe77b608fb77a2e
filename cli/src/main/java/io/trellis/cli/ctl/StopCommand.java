package io.trellis.cli.ctl;

import io.trellis.ctl.CtlClient;
import io.trellis.ctl.EventWaiter;
import io.trellis.ctl.LatticeEventMessage;
import io.trellis.wasmbus.ctl.Ack;
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

/**
 * {@code trellis ctl stop actor|provider|host}. Each sends the command, then listens briefly for
 * the host's stopped event so the result line can say what actually happened.
 */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = "Stop actors, providers and hosts.",
    subcommands = {StopCommand.Actor.class, StopCommand.Provider.class, StopCommand.Host.class})
final class StopCommand {

  @Command(
      name = "actor",
      mixinStandardHelpOptions = true,
      description = "Stop instances of an actor on a host (default: all of them).")
  static final class Actor implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "HOST_ID")
    String hostId;

    @Parameters(index = "1", paramLabel = "ACTOR_ID")
    String actorId;

    @Option(
        names = "--count",
        paramLabel = "N",
        defaultValue = "0",
        description = "instances to stop; 0 = all (default)")
    int count;

    @Option(
        names = {"-a", "--annotation"},
        paramLabel = "K=V",
        description = "stop only instances with these annotations; repeatable")
    @Nullable List<String> annotations;

    @Override
    public Integer call() {
      if (count < 0) {
        throw new ParameterException(
            ctl.commandLine(), "--count must be 0 (all) or more, got " + count);
      }
      Map<String, String> ann = KeyValues.parse(ctl.commandLine(), annotations, "--annotation");
      try (CtlClient c = ctl.connect();
          EventWaiter w =
              c.waitFor(
                  e ->
                      e.type().equals("actors_stopped")
                          && e.source().equals(hostId)
                          && e.text("public_key").equals(actorId))) {
        Ack ack = c.stopActor(hostId, actorId, count, ann);
        // an accepted ack with a note had nothing to stop: no event will come
        Optional<LatticeEventMessage> e =
            ack.accepted() && ack.error().isEmpty() ? w.next(ctl.timeout()) : Optional.empty();
        String done =
            e.map(
                    ev ->
                        "Stopped "
                            + ev.data().path("count").asInt()
                            + " instance(s) of actor "
                            + actorId
                            + " on host "
                            + hostId
                            + " ("
                            + ev.data().path("remaining").asInt()
                            + " remaining)")
                .orElse("Host " + hostId + " accepted stopping actor " + actorId);
        AckOutput.report(ctl, ack, "host " + hostId + " refused to stop actor " + actorId, done);
        return 0;
      }
    }
  }

  @Command(
      name = "provider",
      mixinStandardHelpOptions = true,
      description = "Stop a provider on a host.")
  static final class Provider implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "HOST_ID")
    String hostId;

    @Parameters(index = "1", paramLabel = "PROVIDER_ID")
    String providerId;

    @Parameters(index = "2", paramLabel = "LINK_NAME")
    String linkName;

    @Parameters(index = "3", paramLabel = "CONTRACT_ID")
    String contractId;

    @Option(
        names = "--wait-timeout-ms",
        paramLabel = "MS",
        defaultValue = "10000",
        description = "how long to wait for provider_stopped (default ${DEFAULT-VALUE})")
    long waitMs;

    @Override
    public Integer call() {
      Duration wait = ctl.positive(waitMs, "--wait-timeout-ms");
      try (CtlClient c = ctl.connect();
          EventWaiter w =
              c.waitFor(
                  e ->
                      e.type().equals("provider_stopped")
                          && e.source().equals(hostId)
                          && e.text("public_key").equals(providerId)
                          && e.text("link_name").equals(linkName))) {
        Ack ack = c.stopProvider(hostId, providerId, linkName, contractId, Map.of());
        Optional<LatticeEventMessage> e = Optional.empty();
        if (ack.accepted() && ack.error().isEmpty()) {
          ctl.err()
              .println(
                  "Stopping provider "
                      + providerId
                      + " (link name '"
                      + linkName
                      + "') on host "
                      + hostId
                      + "…");
          ctl.err().flush();
          e = w.next(wait);
        }
        String done =
            e.map(
                    ev ->
                        "Provider "
                            + providerId
                            + " (link name '"
                            + linkName
                            + "') stopped on host "
                            + hostId)
                .orElse(
                    "Host "
                        + hostId
                        + " accepted stopping provider "
                        + providerId
                        + " but reported no "
                        + "provider_stopped event within "
                        + wait.toMillis()
                        + " ms");
        AckOutput.report(
            ctl, ack, "host " + hostId + " refused to stop provider " + providerId, done);
        return 0;
      }
    }
  }

  @Command(
      name = "host",
      mixinStandardHelpOptions = true,
      description = "Stop a host: it stops its actors and providers, then leaves the lattice.")
  static final class Host implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "HOST_ID")
    String hostId;

    @Option(
        names = "--host-timeout-ms",
        paramLabel = "MS",
        defaultValue = "10000",
        description = "grace period the host gives running work (default ${DEFAULT-VALUE})")
    long hostTimeoutMs;

    @Override
    public Integer call() {
      Duration grace = ctl.positive(hostTimeoutMs, "--host-timeout-ms");
      try (CtlClient c = ctl.connect();
          EventWaiter w =
              c.waitFor(e -> e.type().equals("host_stopped") && e.source().equals(hostId))) {
        Ack ack = c.stopHost(hostId, grace);
        Optional<LatticeEventMessage> e = Optional.empty();
        if (ack.accepted()) {
          ctl.err().println("Stopping host " + hostId + "…");
          ctl.err().flush();
          e = w.next(grace.plusSeconds(5));
        }
        String done =
            e.isPresent()
                ? "Host " + hostId + " stopped"
                : "Host "
                    + hostId
                    + " accepted the stop command but reported no host_stopped event in time";
        AckOutput.report(ctl, ack, "host " + hostId + " refused to stop", done);
        return 0;
      }
    }
  }
}
