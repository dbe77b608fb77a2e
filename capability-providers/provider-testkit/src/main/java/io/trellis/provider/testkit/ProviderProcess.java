package io.trellis.provider.testkit;

import static org.awaitility.Awaitility.await;

import io.trellis.wasmbus.par.ProviderArchive;
import io.trellis.wasmbus.provider.HostData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A provider PAR's binary run as a real child process, as a host would (PROTOCOL.md §7.1): write
 * this platform's binary of an already verified archive ({@link #builtArchive}) with mode 0755,
 * spawn it with no arguments, write the base64 HostData line to stdin and keep stdin open; stdout
 * and stderr are collected. {@link #awaitHealthy} and {@link #assertStopsCleanly} are the start and
 * the end every launch test shares.
 */
public final class ProviderProcess implements AutoCloseable {
  /**
   * System property naming the PAR under test (set by the {@code par-launch} surefire execution).
   */
  public static final String PAR_PROPERTY = "trellis.provider.par";

  /** A JVM provider needs about a second to start; a loaded CI machine much longer. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final String providerKey;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final Path binary;

  private ProviderProcess(Process process, String providerKey, Path binary) {
    this.process = process;
    this.providerKey = providerKey;
    this.binary = binary;
    Thread.ofVirtual().start(() -> copy(process.getInputStream()));
  }

  /** The PAR built by this module's {@code package} phase, read and verified. */
  public static ProviderArchive builtArchive() throws IOException {
    String p = System.getProperty(PAR_PROPERTY);
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new AssertionError(
          "no provider archive at "
              + p
              + ": launch tests run in the integration-test"
              + " phase, after `mvn package` has built capability-providers/dist/*.par.gz");
    }
    return ProviderArchive.read(Path.of(p));
  }

  /** Writes the archive's binary for this platform into {@code workDir} and starts it. */
  public static ProviderProcess launch(ProviderArchive archive, HostData hostData, Path workDir)
      throws IOException {
    Path bin = workDir.resolve(archive.publicKey() + ".bin");
    Files.write(bin, archive.hostBinary());
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(bin.toString()).redirectErrorStream(true);
    Process p = pb.start();
    OutputStream stdin = p.getOutputStream();
    stdin.write(hostData.toStdinLine().getBytes(StandardCharsets.US_ASCII));
    stdin.flush(); // left open, as the host does
    return new ProviderProcess(p, hostData.providerKey(), bin);
  }

  /** Waits until the provider answers the host's health check with healthy. */
  public void awaitHealthy(TestLattice lattice) {
    await()
        .atMost(START_TIMEOUT)
        .ignoreExceptions()
        .until(() -> lattice.health(providerKey).healthy());
  }

  /**
   * Shuts the provider down as a host does and checks what a host relies on: the {@code shutting
   * down} reply, then the process exiting with code 0. Failures carry the process's output.
   */
  public void assertStopsCleanly(TestLattice lattice) throws InterruptedException {
    String reply = lattice.shutdown(providerKey, lattice.hostId(), Duration.ofSeconds(5));
    if (!"shutting down".equals(reply)) {
      throw new AssertionError(
          "the shutdown reply was "
              + (reply == null ? "missing" : "'" + reply + "'")
              + ", expected 'shutting down'\n"
              + output());
    }
    if (!waitFor(Duration.ofSeconds(15))) {
      throw new AssertionError(
          "the process did not exit within 15 s of the shutdown reply\n" + output());
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "the process exited with " + process.exitValue() + ", expected 0\n" + output());
    }
  }

  public Process process() {
    return process;
  }

  public Path binary() {
    return binary;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  public String output() {
    synchronized (output) {
      return output.toString(StandardCharsets.UTF_8);
    }
  }

  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void copy(InputStream in) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (output) {
          output.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // process gone
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
