package io.trellis.cli.par;

import picocli.CommandLine.Command;

/** {@code trellis par create|inspect}: capability provider archives (PROTOCOL.md §2.5). */
@Command(
    name = "par",
    mixinStandardHelpOptions = true,
    description = "Create and inspect capability provider archives (PAR).",
    subcommands = {CreateCommand.class, ParInspectCommand.class})
public final class ParCommand {}
