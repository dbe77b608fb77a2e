package io.trellis.host.ctl;

import io.trellis.wasmbus.ctl.HostCommands.RegistryCredential;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches actor modules and provider archives. Files need the host's file loading switch ({@code
 * WASMCLOUD_ALLOW_FILE_LOAD}); http(s) downloads are bounded in size and time and use
 * registries.put credentials for their host; OCI and bindle are refused at once with a clear
 * message, never a hang.
 */
public final class ArtifactFetcher {
  private final boolean fileLoad;
  private final long maxBytes;
  private final Duration timeout;
  private final Map<String, RegistryCredential> credentials = new ConcurrentHashMap<>();
  private final HttpClient http;

  public ArtifactFetcher(boolean fileLoad, long maxBytes, Duration timeout) {
    this.fileLoad = fileLoad;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public void putCredentials(Map<String, RegistryCredential> creds) {
    credentials.putAll(creds);
  }

  /**
   * Cheap checks that can be answered before acking a start command: unsupported schemes, file
   * loading switched off, a missing or unreadable file.
   *
   * @throws ArtifactException naming the problem
   */
  public ArtifactRef precheck(String ref) {
    ArtifactRef r = ArtifactRef.parse(ref);
    switch (r) {
      case ArtifactRef.RegistryRef reg ->
          throw new ArtifactException(
              reg.scheme()
                  + " references are not supported yet: '"
                  + ref
                  + "'. Use a file path (file://...) or an http(s) URL");
      case ArtifactRef.FileRef f -> {
        if (!fileLoad) {
          throw new ArtifactException(
              "loading from files is disabled on this host: cannot use '"
                  + ref
                  + "' (start the host with WASMCLOUD_ALLOW_FILE_LOAD=true; trellis up does)");
        }
        if (!Files.isRegularFile(f.path())) {
          throw new ArtifactException(
              "no such file: " + f.path().toAbsolutePath() + " (from reference '" + ref + "')");
        }
        if (!Files.isReadable(f.path())) {
          throw new ArtifactException(
              "cannot read " + f.path().toAbsolutePath() + ": permission denied");
        }
      }
      case ArtifactRef.HttpRef h -> {}
    }
    return r;
  }

  public byte[] fetch(String ref) {
    ArtifactRef r = precheck(ref);
    return switch (r) {
      case ArtifactRef.FileRef f -> readFile(f);
      case ArtifactRef.HttpRef h -> download(h);
      case ArtifactRef.RegistryRef reg -> throw new IllegalStateException("unreachable");
    };
  }

  private byte[] readFile(ArtifactRef.FileRef f) {
    try {
      long size = Files.size(f.path());
      if (size > maxBytes) {
        throw new ArtifactException(
            f.path() + " is " + size + " bytes, over the limit of " + maxBytes);
      }
      return Files.readAllBytes(f.path());
    } catch (IOException e) {
      throw new ArtifactException("cannot read " + f.path() + ": " + e.getMessage(), e);
    }
  }

  /** The whole body must arrive within this; the request timeout only covers the headers. */
  private Duration bodyDeadline() {
    return timeout.multipliedBy(4);
  }

  /**
   * Reads at most maxBytes + 1 on a virtual thread; a server that trickles bytes forever is cut off
   * by closing the stream at the deadline.
   */
  private byte[] readBounded(InputStream in)
      throws IOException, InterruptedException, TimeoutException {
    FutureTask<byte[]> read =
        new FutureTask<>(() -> in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)));
    Thread.ofVirtual().name("trellis-download").start(read);
    try {
      return read.get(bodyDeadline().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException(String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      in.close();
      read.cancel(true);
      throw e;
    }
  }

  private byte[] download(ArtifactRef.HttpRef h) {
    HttpRequest.Builder b = HttpRequest.newBuilder(h.uri()).timeout(timeout).GET();
    RegistryCredential c =
        credentials.get(h.uri().getHost() + (h.uri().getPort() > 0 ? ":" + h.uri().getPort() : ""));
    if (c == null) {
      c = credentials.get(h.uri().getHost());
    }
    if (c != null && c.token() != null) {
      b.header("Authorization", "Bearer " + c.token());
    } else if (c != null && c.username() != null && c.password() != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<InputStream> resp =
          http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        if (resp.statusCode() != 200) {
          throw new ArtifactException(
              "downloading " + h.raw() + " failed: HTTP " + resp.statusCode());
        }
        long declared = resp.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > maxBytes) {
          throw new ArtifactException(
              h.raw() + " is " + declared + " bytes, over the limit of " + maxBytes);
        }
        byte[] data = readBounded(in);
        if (data.length > maxBytes) {
          throw new ArtifactException(
              h.raw() + " is larger than the limit of " + maxBytes + " bytes");
        }
        return data;
      }
    } catch (IOException e) {
      throw new ArtifactException("downloading " + h.raw() + " failed: " + e.getMessage(), e);
    } catch (TimeoutException e) {
      throw new ArtifactException(
          "downloading "
              + h.raw()
              + " did not finish within "
              + bodyDeadline().toSeconds()
              + " s; the server sends too slowly or stalled",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArtifactException("interrupted while downloading " + h.raw(), e);
    }
  }
}
