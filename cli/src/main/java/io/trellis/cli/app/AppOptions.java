package io.trellis.cli.app;

import io.trellis.apps.api.ApiSubjects;
import io.trellis.apps.api.AppsClient;
import io.trellis.cli.ctl.CtlOptions;
import io.trellis.ctl.CtlClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The connection options of every {@code trellis app …} command: ctl's, plus the API prefix. */
public final class AppOptions {
  @Mixin public CtlOptions ctl;

  @Option(
      names = "--api-prefix",
      paramLabel = "PREFIX",
      defaultValue = "${env:TRELLIS_APPS_API_PREFIX:-wadm.api}",
      description = "subject prefix of the application API (default ${DEFAULT-VALUE}, as wadm's)")
  String apiPrefix;

  /** A connection and an API client over it; close the connection when done. */
  record Session(CtlClient connection, AppsClient apps) implements AutoCloseable {
    @Override
    public void close() {
      connection.close();
    }
  }

  Session connect() {
    CtlClient c = ctl.connect();
    return new Session(
        c,
        new AppsClient(c.connection(), new ApiSubjects(apiPrefix, ctl.lattice()), ctl.timeout()));
  }
}
