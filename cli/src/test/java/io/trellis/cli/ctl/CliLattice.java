package io.trellis.cli.ctl;

import io.nats.client.Connection;
import io.trellis.cli.CliRunner;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real nats-server with real in-JVM hosts for driving the {@code trellis} entry point: every
 * command gets {@code --ctl-port} of this server appended (tests pass flags, not environment).
 */
public final class CliLattice implements AutoCloseable {
  /** The committed echo sample, relative to the cli module (the tests' working directory). */
  public static final String ECHO = "../actors-samples/dist/echo.wasm";

  public final NatsServer nats;
  public final KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
  public final List<Host> hosts = new ArrayList<>();
  public final Connection raw;
  private final Path dir;

  public CliLattice(Path dir, List<Map<String, String>> hostEnvs) {
    this.dir = dir;
    this.nats = NatsServer.start();
    for (Map<String, String> env : hostEnvs) {
      addHost(env);
    }
    this.raw = nats.connect();
  }

  public Host addHost(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("WASMCLOUD_ALLOW_FILE_LOAD", "true"));
    env.putAll(extra);
    Host h = TestHosts.start(nats, cluster, dir, env);
    hosts.add(h);
    return h;
  }

  public Host host(int i) {
    return hosts.get(i);
  }

  /** Runs {@code trellis ARGS… --ctl-port PORT}. */
  public CliRunner.Result run(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--ctl-port";
    all[args.length + 1] = Integer.toString(nats.port());
    return CliRunner.run(all);
  }

  @Override
  public void close() {
    for (Host h : hosts) {
      try {
        h.stop(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        // keep closing
      }
    }
    try {
      raw.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    nats.close();
  }
}
