package io.trellis.cli;

import io.trellis.cli.app.AppCommand;
import io.trellis.cli.apps.AppsCommand;
import io.trellis.cli.call.CallCommand;
import io.trellis.cli.claims.ClaimsCommand;
import io.trellis.cli.ctl.CtlCommand;
import io.trellis.cli.dashboard.DashboardCommand;
import io.trellis.cli.host.HostCommand;
import io.trellis.cli.keys.KeysCommand;
import io.trellis.cli.oci.PullCommand;
import io.trellis.cli.oci.PushCommand;
import io.trellis.cli.par.ParCommand;
import io.trellis.cli.support.ErrorHandler;
import io.trellis.cli.support.VersionProvider;
import io.trellis.cli.up.DownCommand;
import io.trellis.cli.up.UpCommand;
import io.trellis.wasmbus.settings.BooleanSetting;
import io.trellis.wasmbus.settings.InvalidSettingException;
import java.util.Locale;
import java.util.Map;
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
      CtlCommand.class,
      CallCommand.class,
      DashboardCommand.class,
      PushCommand.class,
      PullCommand.class,
      AppCommand.class,
      AppsCommand.class,
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
    try {
      configureLogging(System.getenv());
    } catch (InvalidSettingException e) {
      // Before any logger exists, and the host would refuse the same value: a usage error.
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
    System.exit(run(args));
  }

  /**
   * Maps the wasmCloud logging variables onto the logback configuration, before any logger exists.
   *
   * @throws InvalidSettingException when WASMCLOUD_STRUCTURED_LOGGING_ENABLED is not a boolean
   */
  static void configureLogging(Map<String, String> env) {
    String level =
        env.getOrDefault("WASMCLOUD_LOG_LEVEL", env.get("WASMCLOUD_STRUCTURED_LOG_LEVEL"));
    if (level != null && System.getProperty("trellis.log.level") == null) {
      String l = level.strip().toUpperCase(Locale.ROOT);
      System.setProperty("trellis.log.level", l.equals("TRACE") ? "DEBUG" : l);
    }
    String structured = "WASMCLOUD_STRUCTURED_LOGGING_ENABLED";
    if (BooleanSetting.parse(structured, env.get(structured), false)) {
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
