package io.trellis.cli;

import io.trellis.cli.claims.ClaimsCommand;
import io.trellis.cli.host.HostCommand;
import io.trellis.cli.keys.KeysCommand;
import io.trellis.cli.par.ParCommand;
import io.trellis.cli.support.ErrorHandler;
import io.trellis.cli.support.VersionProvider;
import io.trellis.cli.up.DownCommand;
import io.trellis.cli.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code trellis} command: shaped like wash. */
@Command(
    name = "trellis",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Trellis: a wasmCloud-compatible lattice host for the JVM.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      HostCommand.class,
      KeysCommand.class,
      ClaimsCommand.class,
      ParCommand.class,
      io.trellis.cli.ctl.CtlCommand.class,
      io.trellis.cli.call.CallCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Trellis {
  /**
   * Declared once and inherited by every subcommand, so it is accepted anywhere on the line; {@link
   * ErrorHandler} reads it from the parse result when it prints an error.
   */
  @Option(
      names = ErrorHandler.VERBOSE,
      scope = ScopeType.INHERIT,
      description = "show stack traces on errors")
  boolean verbose;

  public static void main(String[] args) {
    configureLogging(System.getenv());
    System.exit(run(args));
  }

  /**
   * Maps the wasmCloud logging variables onto the logback configuration, before any logger exists.
   */
  static void configureLogging(java.util.Map<String, String> env) {
    String level =
        env.getOrDefault("WASMCLOUD_LOG_LEVEL", env.get("WASMCLOUD_STRUCTURED_LOG_LEVEL"));
    if (level != null && System.getProperty("trellis.log.level") == null) {
      String l = level.strip().toUpperCase(java.util.Locale.ROOT);
      System.setProperty("trellis.log.level", l.equals("TRACE") ? "DEBUG" : l);
    }
    String structured = env.getOrDefault("WASMCLOUD_STRUCTURED_LOGGING_ENABLED", "");
    if (java.util.Set.of("1", "TRUE", "YES", "Y", "ENABLED", "ENABLE")
        .contains(structured.strip().toUpperCase(java.util.Locale.ROOT))) {
      System.setProperty("trellis.log.appender", "JSON");
    }
  }

  /** Runs a command line and returns the exit code; the entry point tests use. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Trellis());
    // "--data @file" belongs to the command, not to picocli's argument-file expansion.
    cl.setExpandAtFiles(false);
    ErrorHandler handler = new ErrorHandler();
    cl.setExecutionExceptionHandler(handler);
    cl.setParameterExceptionHandler(handler);
    return cl;
  }
}
