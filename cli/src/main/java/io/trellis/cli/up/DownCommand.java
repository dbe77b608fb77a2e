package io.trellis.cli.up;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code trellis down}: stops the host and the nats-server that {@code trellis up} started, found
 * through their pid files and checked against their command lines. Never kills by name.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stop what 'trellis up' started (host first, then its nats-server).")
public final class DownCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TrellisHome home = TrellisHome.resolve();
    boolean any = stop(home.hostPid(), "host", out);
    // A foreground up ends its supervision and stops its own nats-server as it shuts down; only a
    // leftover one (crash, kill -9) remains here, named by the pid file the latest restart wrote.
    any |= stop(home.natsPid(), "nats-server", out);
    PidFile.delete(home.upInfo());
    if (!any) {
      out.println("Nothing to stop: no running trellis up found in " + home.root());
    }
    out.flush();
    return 0;
  }

  private static boolean stop(Path pidFile, String what, PrintWriter out) {
    Optional<ProcessHandle> p = PidFile.live(pidFile);
    if (p.isEmpty()) {
      PidFile.delete(pidFile);
      return false;
    }
    ProcessHandle h = p.get();
    out.println("Stopping " + what + " (pid " + h.pid() + ")");
    out.flush();
    h.destroy();
    try {
      h.onExit().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      out.println("  " + what + " did not exit in 20 s; killing it");
      h.destroyForcibly();
    }
    PidFile.delete(pidFile);
    return true;
  }
}
