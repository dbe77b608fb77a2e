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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code trellis ctl scale actor HOST ACTOR [REF] --count N}. */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = "Scale actors.",
    subcommands = ScaleCommand.Actor.class)
final class ScaleCommand {

  @Command(
      name = "actor",
      mixinStandardHelpOptions = true,
      description =
          "Converge the number of instances of an actor on a host; REF is needed to scale up from zero.")
  static final class Actor implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "HOST_ID")
    String hostId;

    @Parameters(index = "1", paramLabel = "ACTOR_ID")
    String actorId;

    @Parameters(index = "2", arity = "0..1", paramLabel = "REF")
    @Nullable String ref;

    @Option(
        names = "--count",
        paramLabel = "N",
        required = true,
        description = "the wanted number of instances (0 stops all)")
    int count;

    @Option(
        names = {"-a", "--annotation"},
        paramLabel = "K=V",
        description = "annotations; repeatable")
    @Nullable List<String> annotations;

    @Override
    public Integer call() {
      if (count < 0) {
        throw new ParameterException(ctl.commandLine(), "--count must be 0 or more, got " + count);
      }
      Map<String, String> ann = KeyValues.parse(ctl.commandLine(), annotations, "--annotation");
      String actorRef = ref == null ? "" : Refs.normalize(ref, Path.of("").toAbsolutePath());
      try (CtlClient c = ctl.connect()) {
        Ack ack = c.scaleActor(hostId, actorId, actorRef, count, ann);
        AckOutput.report(
            ctl,
            ack,
            "host " + hostId + " refused to scale actor " + actorId,
            "Host " + hostId + " is scaling actor " + actorId + " to " + count + " instance(s)");
        return 0;
      }
    }
  }
}
