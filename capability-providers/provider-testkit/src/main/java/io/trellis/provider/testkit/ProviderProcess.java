package io.trellis.provider.testkit;

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
 * A provider PAR's binary run as a real child process, as a host would (spec 7.1): verify the
 * archive, write this platform's binary with mode 0755, spawn it with no arguments, write the
 * base64 HostData line to stdin and keep stdin open; stdout and stderr are collected.
 */
public final class ProviderProcess implements AutoCloseable {
  private final Process process;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final Path binary;

  private ProviderProcess(Process process, Path binary) {
    this.process = process;
    this.binary = binary;
    Thread.ofVirtual().start(() -> copy(process.getInputStream()));
  }

  /** System property naming the PAR under test (set by the {@code par-launch} surefire execution). */
  public static final String PAR_PROPERTY = "trellis.provider.par";

  /** The PAR built by this module's {@code package} phase. */
  public static Path builtPar() {
    String p = System.getProperty(PAR_PROPERTY);
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new AssertionError("no provider archive at " + p + ": launch tests run in the integration-test"
          + " phase, after `mvn package` has built capability-providers/dist/*.par.gz");
    }
    return Path.of(p);
  }

  /** The archive, read and verified. */
  public static ProviderArchive archive(Path par) throws IOException {
    return ProviderArchive.read(par);
  }

  public static ProviderProcess launch(Path par, HostData hostData, Path workDir) throws IOException {
    ProviderArchive archive = ProviderArchive.read(par);
    Path bin = workDir.resolve(archive.publicKey() + ".bin");
    Files.write(bin, archive.hostBinary());
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(bin.toString()).redirectErrorStream(true);
    Process p = pb.start();
    OutputStream stdin = p.getOutputStream();
    stdin.write(hostData.toStdinLine().getBytes(StandardCharsets.US_ASCII));
    stdin.flush(); // left open, as the host does
    return new ProviderProcess(p, bin);
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
