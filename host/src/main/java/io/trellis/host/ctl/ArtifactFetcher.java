package io.trellis.host.ctl;

import io.trellis.oci.ArtifactKind;
import io.trellis.oci.CredentialMap;
import io.trellis.oci.CredentialSource;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciException;
import io.trellis.oci.OciOptions;
import io.trellis.oci.PulledArtifact;
import io.trellis.oci.RegistryCredentials;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The one resolver of actor and provider references: files (behind the host's file loading switch,
 * {@code WASMCLOUD_ALLOW_FILE_LOAD}), http(s) downloads bounded in size and time, and OCI
 * references pulled through the OCI client and its cache (PROTOCOL.md §14). Whatever comes back
 * goes through exactly the checks a file does (claims, hash, signature, expiry; a PAR's claims and
 * target). Bindle is refused at once with a clear message, never a hang.
 *
 * <p>Registry credentials are looked up in the OTP host's order (PROTOCOL.md §14.4): what ctl
 * {@code registries.put} sent (merged by registry), then the config service ({@link
 * #useConfigServiceCredentials}, a seam until that service exists), then {@code OCI_REGISTRY} /
 * {@code OCI_REGISTRY_USER} / {@code OCI_REGISTRY_PASSWORD}, then anonymous.
 */
public final class ArtifactFetcher implements AutoCloseable {
  private final boolean fileLoad;
  private final long maxBytes;
  private final Duration timeout;
  private final CredentialMap credentials = new CredentialMap();
  private volatile CredentialSource configService = CredentialSource.none();
  private final HttpClient http;
  private final OciClient oci;

  /** Without an OCI cache and with OCI's defaults: for tests of files and URLs. */
  public ArtifactFetcher(boolean fileLoad, long maxBytes, Duration timeout) {
    this(
        fileLoad,
        maxBytes,
        timeout,
        OciOptions.defaults(null).withMaxBlobBytes(maxBytes),
        CredentialSource.none());
  }

  /**
   * @param oci registry settings (latest, insecure registries, cache, deadline)
   * @param environment credentials from the environment ({@code OCI_REGISTRY...}), asked last
   */
  public ArtifactFetcher(
      boolean fileLoad,
      long maxBytes,
      Duration timeout,
      OciOptions oci,
      CredentialSource environment) {
    this.fileLoad = fileLoad;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    CredentialSource fromConfigService = ref -> configService.lookup(ref);
    this.oci =
        new OciClient(
            oci, CredentialSource.firstOf(List.of(credentials, fromConfigService, environment)));
  }

  /** Merges the credentials of a ctl {@code registries.put}, keyed by registry. */
  public void putCredentials(Map<String, RegistryCredential> creds) {
    Map<String, RegistryCredentials> converted = new LinkedHashMap<>();
    creds.forEach(
        (registry, c) ->
            converted.put(
                registry, new RegistryCredentials(c.username(), c.password(), c.token())));
    credentials.putAll(converted);
  }

  /**
   * Where the config service's registry credentials will come from; asked after those of {@code
   * registries.put} and before the environment's.
   */
  public void useConfigServiceCredentials(CredentialSource source) {
    this.configService = source;
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
      case ArtifactRef.RegistryRef reg when reg.scheme().equals("bindle") ->
          throw new ArtifactException(
              "bindle references are not supported: '"
                  + ref
                  + "'. Use an OCI reference, a file path (file://...) or an http(s) URL");
      case ArtifactRef.RegistryRef reg -> {
        try {
          oci.check(ref);
        } catch (OciException e) {
          throw new ArtifactException(e.getMessage(), e);
        }
      }
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

  /** Fetches an artifact of either kind. */
  public byte[] fetch(String ref) {
    return fetch(ref, null);
  }

  /**
   * Fetches an artifact.
   *
   * @param kind what the caller will do with it; an OCI reference to the other kind is refused
   *     before its layer is downloaded
   * @throws ArtifactException naming the reference and the cause
   */
  public byte[] fetch(String ref, @Nullable ArtifactKind kind) {
    ArtifactRef r = precheck(ref);
    return switch (r) {
      case ArtifactRef.FileRef f -> readFile(f);
      case ArtifactRef.HttpRef h -> download(h);
      case ArtifactRef.RegistryRef reg -> pull(ref, kind);
    };
  }

  private byte[] pull(String ref, @Nullable ArtifactKind kind) {
    try {
      PulledArtifact a = oci.pull(ref, kind);
      return a.bytes();
    } catch (OciException e) {
      throw new ArtifactException(e.getMessage(), e);
    }
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
    Optional<RegistryCredentials> found =
        credentials.lookup(
            h.uri().getHost() + (h.uri().getPort() > 0 ? ":" + h.uri().getPort() : ""));
    RegistryCredentials c = found.orElse(null);
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

  @Override
  public void close() {
    oci.close();
    http.shutdownNow();
  }
}
