package io.trellis.cli.ctl;

import io.trellis.ctl.CtlClient;
import io.trellis.wasmbus.ctl.Ack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis ctl update actor HOST ACTOR NEW_REF}: a live update, acked when done (PROTOCOL.md
 * §8.3).
 */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description = "Live-update actors.",
    subcommands = UpdateCommand.Actor.class)
final class UpdateCommand {

  @Command(
      name = "actor",
      mixinStandardHelpOptions = true,
      description =
          "Replace the module of every instance of an actor on a host; the new module needs the same "
              + "key and a higher revision.")
  static final class Actor implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "HOST_ID")
    String hostId;

    @Parameters(index = "1", paramLabel = "ACTOR_ID")
    String actorId;

    @Parameters(
        index = "2",
        paramLabel = "NEW_REF",
        description = "path, file://, http(s):// URL or OCI reference of the new module")
    String newRef;

    @Option(
        names = {"-a", "--annotation"},
        paramLabel = "K=V",
        description = "annotations; repeatable")
    @Nullable List<String> annotations;

    @Override
    public Integer call() {
      Map<String, String> ann = KeyValues.parse(ctl.commandLine(), annotations, "--annotation");
      String ref = Refs.normalize(newRef, Path.of("").toAbsolutePath());
      try (CtlClient c = ctl.connect()) {
        Ack ack = c.updateActor(hostId, actorId, ref, ann);
        AckOutput.report(
            ctl,
            ack,
            "host " + hostId + " could not update actor " + actorId,
            "Actor " + actorId + " on host " + hostId + " updated to " + ref);
        return 0;
      }
    }
  }
}
