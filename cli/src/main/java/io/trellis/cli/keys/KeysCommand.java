package io.trellis.cli.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.cli.support.KeyFiles;
import io.trellis.cli.support.OutputFormat;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trellis keys gen TYPE}. */
@Command(
    name = "keys",
    description = "Generate and inspect nkeys.",
    mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.Gen.class})
public final class KeysCommand {

  @Command(
      name = "gen",
      mixinStandardHelpOptions = true,
      description =
          "Generate a key pair of TYPE: account, cluster, module, operator, server, service, user.")
  static final class Gen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TYPE", description = "key type")
    String type;

    @Option(
        names = {"-o", "--output"},
        description = "text or json (default: text)")
    OutputFormat output = OutputFormat.text;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description =
            "write the seed to FILE (mode 600) instead of printing it; refuses to overwrite")
    @Nullable Path out;

    @Override
    public Integer call() throws Exception {
      KeyPair kp = KeyPair.generate(KeyType.fromLabel(type));
      PrintWriter w = spec.commandLine().getOut();
      if (out != null) {
        KeyFiles.writeNewSeed(out, kp);
      }
      if (output == OutputFormat.json) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("public_key", kp.publicKey());
        if (out == null) {
          o.put("seed", kp.seed());
        } else {
          o.put("seed_file", out.toString());
        }
        o.put("type", kp.type().label());
        w.println(o);
      } else {
        w.println("Public Key: " + kp.publicKey());
        w.println(out == null ? "Seed: " + kp.seed() : "Seed: written to " + out + " (mode 600)");
        if (out == null) {
          w.println();
          w.println("Remember that the seed is private, treat it as a secret.");
        }
      }
      w.flush();
      return 0;
    }
  }
}
