package io.trellis.cli;

import io.trellis.cli.claims.ClaimsCommand;
import io.trellis.cli.keys.KeysCommand;
import io.trellis.cli.support.ErrorHandler;
import io.trellis.cli.support.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trellis} command: shaped like wash. */
@Command(
    name = "trellis",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Trellis: a wasmCloud-compatible lattice host for the JVM.",
    subcommands = {KeysCommand.class, ClaimsCommand.class, CommandLine.HelpCommand.class})
public final class Trellis {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns the exit code; the entry point tests use. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Trellis());
    ErrorHandler handler = new ErrorHandler(args -> java.util.Arrays.asList(args).contains("--verbose"));
    cl.setExecutionExceptionHandler(handler);
    cl.setParameterExceptionHandler(handler);
    return cl;
  }
}
