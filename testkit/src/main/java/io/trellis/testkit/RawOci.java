package io.trellis.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The distribution API by hand, call for call what {@code curl} does in test-fixtures (HEAD blob,
 * POST upload, PUT with {@code ?digest=}, PUT manifest; GET with the OCI Accept header). It shares
 * no code with the client under test, so a test can push an artifact "as wash would" and read back
 * exactly what another pusher wrote. Anonymous registries only.
 */
public final class RawOci {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public RawOci(OciRegistry registry) {
    this.base = registry.url();
  }

  public static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b) {
    try {
      return http.send(
          b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("registry call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Uploads a blob unless it is there; returns its digest. */
  public String pushBlob(String repo, byte[] blob) {
    String digest = sha256(blob);
    URI head = URI.create(base + "/v2/" + repo + "/blobs/" + digest);
    if (send(HttpRequest.newBuilder(head).method("HEAD", HttpRequest.BodyPublishers.noBody()))
            .statusCode()
        == 200) {
      return digest;
    }
    HttpResponse<byte[]> post =
        send(
            HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    expect(post, 202, "POST upload");
    String location =
        post.headers()
            .firstValue("location")
            .orElseThrow(() -> new IllegalStateException("no Location"));
    URI loc = URI.create(base).resolve(location);
    URI put = URI.create(loc + (loc.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
    expect(
        send(
            HttpRequest.newBuilder(put)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))),
        201,
        "PUT blob");
    return digest;
  }

  /** PUT of a manifest as given; returns the registry's Docker-Content-Digest. */
  public String putManifest(String repo, String reference, String mediaType, byte[] manifest) {
    HttpResponse<byte[]> r =
        send(
            HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    expect(r, 201, "PUT manifest");
    return r.headers().firstValue("docker-content-digest").orElse(sha256(manifest));
  }

  /**
   * wash's layout, written out by hand: config blob {@code {}} with {@code configType}, one layer
   * with {@code layerType}, an OCI image manifest. Returns the manifest digest.
   */
  public String pushWashLayout(
      String repo, String tag, String configType, String layerType, byte[] layer) {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String cd = pushBlob(repo, config);
    String ld = pushBlob(repo, layer);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":\""
            + configType
            + "\",\"digest\":\""
            + cd
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[{\"mediaType\":\""
            + layerType
            + "\",\"digest\":\""
            + ld
            + "\",\"size\":"
            + layer.length
            + "}]}";
    return putManifest(repo, tag, OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
  }

  /** GET of a manifest with the OCI Accept header (distribution 2.8 needs it). */
  public byte[] manifest(String repo, String reference) {
    HttpResponse<byte[]> r =
        send(
            HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/" + reference))
                .header("Accept", OCI_MANIFEST + ", application/vnd.oci.image.index.v1+json"));
    expect(r, 200, "GET manifest");
    return r.body();
  }

  public byte[] blob(String repo, String digest) {
    HttpResponse<byte[]> r =
        send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/" + digest)));
    expect(r, 200, "GET blob");
    return r.body();
  }

  private static void expect(HttpResponse<byte[]> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          what
              + " -> HTTP "
              + r.statusCode()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
  }
}
