package io.trellis.cli.ctl;

import io.trellis.ctl.CtlClient;
import io.trellis.wasmbus.ctl.Ack;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis ctl label put|del}: a Trellis extension ({@code cmd.{host}.label.put|del}); the
 * host publishes a heartbeat with its new labels, and auctions see them at once.
 */
@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    description = "Set or remove a host label.",
    subcommands = {LabelCommand.Put.class, LabelCommand.Del.class})
final class LabelCommand {

  @Command(name = "put", mixinStandardHelpOptions = true, description = "Set a label on a host.")
  static final class Put implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "HOST_ID")
    String hostId;

    @Parameters(index = "1", paramLabel = "KEY=VALUE")
    String label;

    @Override
    public Integer call() {
      Map<String, String> kv = KeyValues.parse(ctl.spec.commandLine(), List.of(label), "label");
      Map.Entry<String, String> e = kv.entrySet().iterator().next();
      try (CtlClient c = ctl.connect()) {
        Ack ack = c.putLabel(hostId, e.getKey(), e.getValue());
        AckOutput.report(
            ctl,
            ack,
            "host " + hostId + " refused the label " + label,
            "Host " + hostId + " now has label " + e.getKey() + "=" + e.getValue());
        return 0;
      }
    }
  }

  @Command(
      name = "del",
      mixinStandardHelpOptions = true,
      description = "Remove a label from a host.")
  static final class Del implements Callable<Integer> {
    @Mixin CtlOptions ctl;

    @Parameters(index = "0", paramLabel = "HOST_ID")
    String hostId;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Override
    public Integer call() {
      try (CtlClient c = ctl.connect()) {
        Ack ack = c.deleteLabel(hostId, key);
        AckOutput.report(
            ctl,
            ack,
            "host " + hostId + " could not remove label '" + key + "'",
            "Removed label '" + key + "' from host " + hostId);
        return 0;
      }
    }
  }
}
