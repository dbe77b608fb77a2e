package io.trellis.cli.apps;

import picocli.CommandLine.Command;

/** {@code trellis apps …}: running the application service outside hosts. */
@Command(
    name = "apps",
    mixinStandardHelpOptions = true,
    description = "Run the application API and reconciler on its own (hosts run it by default).",
    subcommands = {ServeCommand.class})
public final class AppsCommand {}
