package io.trellis.cli.ctl;

import io.trellis.cli.support.OutputFormat;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.CtlClientBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The connection and output options every {@code trellis ctl …} command and {@code trellis call}
 * take, with wash's names and environment variables. A picocli mixin: options follow the subcommand
 * ({@code trellis ctl get hosts --ctl-port 4222}).
 */
public final class CtlOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--ctl-host",
      paramLabel = "HOST",
      defaultValue = "${env:WASMCLOUD_CTL_HOST:-127.0.0.1}",
      description =
          "NATS host of the control interface, or a full nats:// URL (env WASMCLOUD_CTL_HOST; "
              + "default ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--ctl-port",
      paramLabel = "PORT",
      defaultValue = "${env:WASMCLOUD_CTL_PORT:-4222}",
      description = "NATS port (env WASMCLOUD_CTL_PORT; default ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--ctl-credsfile",
      paramLabel = "FILE",
      defaultValue = "${env:WASMCLOUD_CTL_CREDSFILE}",
      description = "NATS credentials file (env WASMCLOUD_CTL_CREDSFILE)")
  @Nullable Path credsFile;

  @Option(
      names = "--ctl-seed",
      paramLabel = "SEED",
      defaultValue = "${env:WASMCLOUD_CTL_SEED}",
      description = "NATS nkey seed, alone or with --ctl-jwt (env WASMCLOUD_CTL_SEED)")
  @Nullable String seed;

  @Option(
      names = "--ctl-jwt",
      paramLabel = "JWT",
      defaultValue = "${env:WASMCLOUD_CTL_JWT}",
      description = "NATS user JWT, used with --ctl-seed (env WASMCLOUD_CTL_JWT)")
  @Nullable String jwt;

  @Option(
      names = "--tls-ca-path",
      paramLabel = "PEM",
      defaultValue = "${env:WASMCLOUD_TLS_CA_PATH}",
      description =
          "CA (PEM) the NATS server's TLS certificate must chain to (env WASMCLOUD_TLS_CA_PATH)")
  @Nullable Path tlsCaPath;

  @Option(
      names = {"-x", "--lattice-prefix"},
      paramLabel = "PREFIX",
      defaultValue = "${env:WASMCLOUD_LATTICE_PREFIX:-default}",
      description = "lattice prefix (env WASMCLOUD_LATTICE_PREFIX; default ${DEFAULT-VALUE})")
  String lattice;

  @Option(
      names = "--ctl-topic-prefix",
      paramLabel = "PREFIX",
      defaultValue = "${env:WASMCLOUD_CTL_TOPIC_PREFIX:-wasmbus.ctl}",
      description =
          "control topic prefix, two tokens (env WASMCLOUD_CTL_TOPIC_PREFIX; default ${DEFAULT-VALUE})")
  String topicPrefix;

  @Option(
      names = "--js-domain",
      paramLabel = "DOMAIN",
      defaultValue = "${env:WASMCLOUD_JS_DOMAIN}",
      description = "JetStream domain of the lattice data (env WASMCLOUD_JS_DOMAIN)")
  @Nullable String jsDomain;

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      defaultValue = "2000",
      description = "how long to wait for a reply (default ${DEFAULT-VALUE})")
  long timeoutMs;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json (default ${DEFAULT-VALUE})")
  OutputFormat output;

  public String url() {
    return host.contains("://") ? host : "nats://" + host + ":" + port;
  }

  public Duration timeout() {
    return positive(timeoutMs, "--timeout-ms");
  }

  /**
   * {@code ms} of the millisecond option {@code option}; a usage error (exit 2) unless positive.
   */
  public Duration positive(long ms, String option) {
    if (ms <= 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), option + " must be positive, got " + ms);
    }
    return Duration.ofMillis(ms);
  }

  public String lattice() {
    return lattice;
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  public @Nullable String jsDomain() {
    return jsDomain == null || jsDomain.isBlank() ? null : jsDomain;
  }

  public boolean json() {
    return output == OutputFormat.json;
  }

  public picocli.CommandLine commandLine() {
    return spec.commandLine();
  }

  public PrintWriter out() {
    return spec.commandLine().getOut();
  }

  public PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Connects with the first credentials given: creds file, then JWT and seed, then seed. */
  public CtlClient connect() {
    CtlClientBuilder b =
        CtlClient.builder()
            .url(url())
            .latticePrefix(lattice)
            .ctlTopicPrefix(topicPrefix)
            .jsDomain(jsDomain())
            .timeout(timeout())
            .connectionName("trellis-cli");
    if (tlsCaPath != null) {
      b.tlsCaFile(tlsCaPath);
    }
    if (credsFile != null) {
      b.credsFile(credsFile);
    } else if (notBlank(jwt) && notBlank(seed)) {
      b.jwtAndSeed(jwt, seed);
    } else if (notBlank(seed)) {
      b.seed(seed);
    } else if (notBlank(jwt)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--ctl-jwt needs --ctl-seed");
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static boolean notBlank(@Nullable String s) {
    return s != null && !s.isBlank();
  }
}
