package io.trellis.cli.apps;

import io.trellis.apps.service.AppsService;
import io.trellis.cli.ctl.CtlOptions;
import io.trellis.ctl.CtlClient;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trellis apps serve}: the application API and a reconciler candidate without a host, for
 * operators who turn it off in hosts; any number may run, one leads (docs/APPS.md).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve the application API and take part in the reconciler election until"
            + " stopped (SIGTERM or Ctrl-C).")
public final class ServeCommand implements Callable<Integer> {
  @Mixin CtlOptions ctl;

  @Mixin ReconcilerOptions reconciler;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "this reconciler's id in the election (default: trellis-apps-<random>)")
  @Nullable String id;

  @Option(
      names = "--replicas",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "replicas of the application buckets when this creates them; use the hosts'"
              + " TRELLIS_LATTICE_REPLICAS (default 1)")
  int replicas;

  @Override
  public Integer call() throws InterruptedException {
    String me = id != null ? id : "trellis-apps-" + UUID.randomUUID().toString().substring(0, 8);
    CountDownLatch stopped = new CountDownLatch(1);
    CtlClient conn = ctl.connect();
    AppsService service =
        AppsService.start(
            conn.connection(),
            reconciler.options(ctl.lattice(), ctl.jsDomain(), topicPrefix(), me, replicas));
    Thread hook =
        new Thread(
            () -> {
              service.close();
              conn.close();
              stopped.countDown();
            },
            "trellis-apps-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ctl.out()
        .println(
            "Serving the application API of lattice '"
                + ctl.lattice()
                + "' via "
                + ctl.url()
                + " as reconciler "
                + me
                + "; Ctrl-C to stop");
    ctl.out().flush();
    stopped.await();
    return 0;
  }

  private String topicPrefix() {
    return ctl.topicPrefix();
  }
}
