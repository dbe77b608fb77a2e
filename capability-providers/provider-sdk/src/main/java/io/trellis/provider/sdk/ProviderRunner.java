package io.trellis.provider.sdk;

import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.provider.HostData;
import io.trellis.wasmbus.provider.InvalidHostDataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Runs a provider: as an OS process launched by a host ({@link #run}), or in-process for tests and
 * embedding ({@link #start}).
 */
public final class ProviderRunner {
  private ProviderRunner() {}

  /**
   * The whole {@code main} of a provider process: reads the host's one base64 HostData line from
   * stdin (PROTOCOL.md §7.1), configures logging from {@code log_level}, starts the provider and
   * blocks until a shutdown request (or SIGTERM), then exits 0. Exits 2 when HostData is unusable
   * and 1 when the provider cannot start.
   *
   * <p>The provider is created through {@code factory} only after logging is configured, so a
   * provider class may hold a static logger.
   */
  public static void run(Supplier<? extends CapabilityProvider> factory, String[] args) {
    HostData hostData;
    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      hostData = HostData.fromStdinLine(stdin.readLine());
    } catch (InvalidHostDataException | IOException e) {
      System.err.println("capability provider: " + e.getMessage());
      System.exit(2);
      return;
    }
    LogLevels.configure(hostData.logLevel());
    RunningProvider running;
    try {
      running = start(factory.get(), hostData);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(ProviderRunner.class)
          .error("provider failed to start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "provider-shutdown-hook"));
    exitWhenHostIsGone(stdin, running);
    running.awaitShutdown();
    System.exit(0);
  }

  /**
   * Connects, starts the provider, delivers the links from HostData and subscribes; returns once
   * every subscription is registered with the server.
   *
   * @throws io.trellis.wasmbus.LatticeException when the connection or the provider's start fails
   */
  public static RunningProvider start(CapabilityProvider provider, HostData hostData) {
    // each provider names its own service; OTEL_SERVICE_NAME still wins
    Tracing tracing = Tracing.fromEnvironment(System.getenv(), provider.getClass().getSimpleName());
    ProviderHost host = new ProviderHost(provider, hostData, tracing);
    provider.attach(host.context());
    host.start();
    return host;
  }

  /**
   * The host keeps our stdin open for as long as it lives; end of file means it died (even by
   * SIGKILL, which sends no shutdown request), so we stop instead of living on as an orphan that
   * holds a port and a NATS connection.
   */
  private static void exitWhenHostIsGone(BufferedReader stdin, RunningProvider running) {
    Thread.ofPlatform()
        .daemon()
        .name("provider-host-watch")
        .start(
            () -> {
              try {
                while (stdin.readLine() != null) {
                  // the host writes nothing more; ignore anything that comes
                }
              } catch (IOException e) {
                // a broken pipe means the same as end of file
              }
              LoggerFactory.getLogger(ProviderRunner.class)
                  .warn("stdin closed: the host is gone; shutting down");
              running.close();
            });
  }
}
