package io.trellis.cli.app;

import picocli.CommandLine.Command;

/**
 * {@code trellis app …}: declarative applications through wadm's API (docs/APPS.md), shaped like
 * {@code wash app}. Works against Trellis' reconciler and against wadm.
 */
@Command(
    name = "app",
    mixinStandardHelpOptions = true,
    description = "Manage applications from wadm manifests: put, deploy, status, undeploy, ...",
    subcommands = {
      AppCommands.Put.class,
      AppCommands.Deploy.class,
      AppCommands.Undeploy.class,
      AppCommands.ListApps.class,
      AppCommands.Get.class,
      AppCommands.Status.class,
      AppCommands.History.class,
      AppCommands.Delete.class
    })
public final class AppCommand {}
