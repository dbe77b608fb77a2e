package io.trellis.cli.claims;

import picocli.CommandLine.Command;

/** {@code trellis claims sign|inspect}. */
@Command(
    name = "claims",
    mixinStandardHelpOptions = true,
    description = "Sign actor modules with claims, and inspect them.",
    subcommands = {SignCommand.class, ClaimsInspectCommand.class})
public final class ClaimsCommand {}
