package io.trellis.cli.up;

import io.trellis.dashboard.DashboardAccess;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The dashboard settings of {@code trellis up} (docs/DASHBOARD.md). */
public final class DashboardOptions {
  static final int DEFAULT_HTTP_PORT = 3030;
  static final int DEFAULT_WS_PORT = 4223;

  @Option(
      names = "--no-dashboard",
      description = "neither open a NATS websocket listener nor serve the dashboard")
  boolean disabled;

  @Option(
      names = "--dashboard-port",
      paramLabel = "PORT",
      description =
          "serve the dashboard on this loopback port (default 3030, or a free one if taken)")
  @Nullable Integer httpPort;

  @Option(
      names = "--nats-ws-port",
      paramLabel = "PORT",
      description =
          "NATS websocket port for the dashboard, on loopback (default 4223, or a free one if taken)")
  @Nullable Integer wsPort;

  @Option(
      names = "--browser-subject",
      paramLabel = "SUBJECT",
      description =
          "a subject web pages may send requests to as the 'browser' user; repeat for several (default browser.>)")
  List<String> browserSubjects = new ArrayList<>();

  List<String> browserSubjects() {
    return browserSubjects.isEmpty() ? DashboardAccess.DEFAULT_BROWSER_SUBJECTS : browserSubjects;
  }
}
