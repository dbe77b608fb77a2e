package io.trellis.cli.ctl;

import picocli.CommandLine.Command;

/**
 * {@code trellis ctl …}: the lattice control interface (PROTOCOL.md §8), shaped like {@code wash
 * ctl}. Connection options go after the subcommand: {@code trellis ctl get hosts --ctl-port 4223}.
 */
@Command(
    name = "ctl",
    mixinStandardHelpOptions = true,
    description = "Query and control a lattice: hosts, actors, providers, links, labels, events.",
    subcommands = {
      GetCommand.class,
      StartCommand.class,
      StopCommand.class,
      ScaleCommand.class,
      UpdateCommand.class,
      LinkCommand.class,
      LabelCommand.class,
      WatchCommand.class
    })
public final class CtlCommand {}
