package io.trellis.host.providers;

import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ProviderMetadata;
import io.trellis.wasmbus.provider.HostData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider (public key + link name) supervised by this host: its OS process, the instance id of
 * the current launch, and its health. Output lines go to the host log tagged with the name.
 */
final class SupervisedProvider {
  private static final Logger LOG = LoggerFactory.getLogger("io.trellis.provider");

  private final Claims<ProviderMetadata> claims;
  private final String imageRef;
  private final String linkName;
  private final String configJson;
  private final Map<String, String> annotations;
  private final Path binary;
  private volatile @Nullable Process process;
  // a new one for every launch
  private volatile String instanceId = UUID.randomUUID().toString();
  volatile boolean healthy;
  volatile boolean stopping;
  volatile int restarts;
  volatile long healthySince;
  volatile long launchedAt;
  // consecutive health checks without an answer while the host itself was connected
  volatile int unanswered;
  // why the supervisor killed the current process, for the provider_stopped event
  volatile @Nullable String killedFor;

  SupervisedProvider(
      Claims<ProviderMetadata> claims,
      @Nullable String imageRef,
      String linkName,
      @Nullable String configJson,
      Map<String, String> annotations,
      Path binary) {
    this.claims = claims;
    this.imageRef = imageRef == null ? "" : imageRef;
    this.linkName = linkName;
    this.configJson = configJson == null ? "" : configJson;
    this.annotations = Map.copyOf(annotations);
    this.binary = binary;
  }

  /**
   * Spawns the binary with no arguments, the host's environment plus JAVA_HOME of this JVM (so Java
   * providers run on a JDK we know is new enough), and writes the base64 HostData line to its stdin
   * (PROTOCOL.md §7.1 steps 4-6).
   */
  Process launch(Supplier<HostData> hostData, Map<String, String> otel) throws IOException {
    instanceId = UUID.randomUUID().toString();
    ProcessBuilder pb = new ProcessBuilder(binary.toString());
    pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    // The host's tracing settings (PROTOCOL.md §16.2), but each provider names its own service.
    pb.environment().putAll(otel);
    pb.environment().remove("OTEL_SERVICE_NAME");
    pb.redirectErrorStream(false);
    Process p = pb.start();
    try {
      HostData data = hostData.get();
      OutputStream stdin = p.getOutputStream();
      stdin.write(data.toStdinLine().getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
    } catch (IOException | RuntimeException e) {
      // A process that never got its HostData must not live on unsupervised.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw e instanceof IOException io
          ? io
          : new IOException("could not hand the host data to the provider: " + e.getMessage(), e);
    }
    // stdin stays open: some providers treat EOF on stdin as a request to exit.
    pump(p.getInputStream(), "stdout");
    pump(p.getErrorStream(), "stderr");
    process = p;
    healthy = false;
    unanswered = 0;
    launchedAt = System.nanoTime();
    return p;
  }

  private void pump(InputStream in, String stream) {
    String tag = name() + " " + linkName;
    Thread.ofVirtual()
        .name("provider-" + stream)
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  LOG.info("[{}] {}", tag, line);
                }
              } catch (IOException e) {
                // the process ended
              }
            });
  }

  @Nullable Process process() {
    return process;
  }

  Claims<ProviderMetadata> claims() {
    return claims;
  }

  String publicKey() {
    return claims.subject();
  }

  String contractId() {
    return claims.metadata().capabilityContractId();
  }

  String name() {
    return claims.metadata().name() == null ? publicKey() : claims.metadata().name();
  }

  String imageRef() {
    return imageRef;
  }

  String linkName() {
    return linkName;
  }

  String configJson() {
    return configJson;
  }

  Map<String, String> annotations() {
    return annotations;
  }

  String instanceId() {
    return instanceId;
  }

  long revision() {
    return claims.effectiveRevision();
  }

  /** Kills the process and its children at once. */
  void kill() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }
}
