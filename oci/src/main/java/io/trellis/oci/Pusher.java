package io.trellis.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pushes an actor module or a provider archive in wash's layout (PROTOCOL.md §14.6): config blob
 * ({@code {}} unless given) with the kind's config media type, one layer with the file as it is, an
 * OCI image manifest with optional annotations. Blobs the registry has are not sent again; large
 * blobs, or any blob the registry refuses whole (413), go up in chunks.
 */
final class Pusher {
  static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

  private final Transport transport;

  public Pusher(Transport transport) {
    this.transport = transport;
  }

  public PushResult push(OciReference ref, byte[] artifact, PushRequest request) {
    if (ref.pinned()) {
      throw new InvalidReferenceException(
          "cannot push to " + ref + ": a push needs a tag, not a digest");
    }
    if (ref.isLatest() && !request.allowLatest()) {
      throw new InvalidReferenceException(
          "cannot push "
              + ref
              + ": pushing "
              + (ref.tag() == null ? "without a tag (that is :latest)" : "to :latest")
              + " is refused; give a version tag, or pass --allow-latest");
    }
    ArtifactKind kind =
        request.kind() != null ? request.kind() : ArtifactKind.detect(artifact, "the file");
    byte[] config = request.config() != null ? request.config() : EMPTY_CONFIG;
    Session s =
        transport.session(ref, Session.Action.PUSH, Deadline.in(transport.options().deadline()));
    String configDigest = Digests.of(config);
    String layerDigest = Digests.of(artifact);
    new BlobUpload(s, transport.options().chunkBytes()).upload(config, configDigest);
    new BlobUpload(s, transport.options().chunkBytes()).upload(artifact, layerDigest);
    byte[] manifest =
        manifest(kind, configDigest, config.length, layerDigest, artifact.length, request);
    HttpResponse<InputStream> resp =
        s.send(
            new Session.Call(
                "PUT",
                s.uri("manifests/" + ref.manifestReference()),
                Map.of("Content-Type", MediaTypes.OCI_MANIFEST),
                manifest,
                0,
                manifest.length,
                s.deadline().total()));
    if (resp.statusCode() != 201 && resp.statusCode() != 200) {
      throw s.protocol(
          "the registry refused the manifest (HTTP " + resp.statusCode() + s.errorText(resp) + ")");
    }
    Session.discard(resp);
    return new PushResult(ref, kind, Digests.of(manifest), manifest);
  }

  /**
   * wash's manifest, field for field: {@code schemaVersion}, {@code mediaType}, {@code config},
   * {@code layers} (descriptors of {@code mediaType}, {@code digest}, {@code size}) and, only when
   * there are any, {@code annotations}.
   */
  public static byte[] manifest(
      ArtifactKind kind,
      String configDigest,
      long configSize,
      String layerDigest,
      long layerSize,
      PushRequest request) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    ObjectNode c = m.putObject("config");
    c.put("mediaType", kind.configMediaType());
    c.put("digest", configDigest);
    c.put("size", configSize);
    ArrayNode layers = m.putArray("layers");
    ObjectNode l = layers.addObject();
    l.put("mediaType", kind.layerMediaType());
    l.put("digest", layerDigest);
    l.put("size", layerSize);
    if (!request.annotations().isEmpty()) {
      ObjectNode a = m.putObject("annotations");
      new TreeMap<>(request.annotations()).forEach(a::put);
    }
    return Json.bytes(m);
  }

  /** Uploads one blob unless the registry has it (distribution API: POST, then PUT or PATCHes). */
  private static final class BlobUpload {
    private final Session s;
    private final int chunkBytes;

    BlobUpload(Session s, int chunkBytes) {
      this.s = s;
      this.chunkBytes = chunkBytes;
    }

    void upload(byte[] blob, String digest) {
      HttpResponse<InputStream> head =
          s.send(
              new Session.Call(
                  "HEAD", s.uri("blobs/" + digest), Map.of(), null, 0, 0, s.deadline().total()));
      Session.discard(head);
      if (head.statusCode() == 200) {
        return;
      }
      Started up = start();
      if (blob.length <= Math.max(chunkBytes, up.minChunk)) {
        HttpResponse<InputStream> put = put(up.location, digest, blob, 0, blob.length);
        if (put.statusCode() == 201) {
          Session.discard(put);
          return;
        }
        if (put.statusCode() != 413) {
          throw refused(digest, put);
        }
        Session.discard(put);
        up = start();
      }
      chunked(blob, digest, up);
    }

    private record Started(URI location, int minChunk) {}

    private Started start() {
      HttpResponse<InputStream> r =
          s.send(
              new Session.Call(
                  "POST",
                  s.uri("blobs/uploads/"),
                  Map.of(),
                  new byte[0],
                  0,
                  0,
                  s.deadline().total()));
      if (r.statusCode() != 202) {
        throw s.protocol(
            "the registry did not start an upload (HTTP " + r.statusCode() + s.errorText(r) + ")");
      }
      Session.discard(r);
      int min = (int) r.headers().firstValueAsLong("oci-chunk-min-length").orElse(0);
      return new Started(location(r), min);
    }

    private URI location(HttpResponse<InputStream> r) {
      String loc =
          r.headers()
              .firstValue("location")
              .orElseThrow(() -> s.protocol("the registry sent no upload Location"));
      return r.request().uri().resolve(loc);
    }

    private HttpResponse<InputStream> put(URI location, String digest, byte[] b, int off, int len) {
      String sep = location.getRawQuery() == null ? "?" : "&";
      URI uri = URI.create(location + sep + "digest=" + digest);
      return s.send(
          new Session.Call(
              "PUT",
              uri,
              Map.of("Content-Type", "application/octet-stream"),
              b,
              off,
              len,
              s.deadline().total()));
    }

    private void chunked(byte[] blob, String digest, Started up) {
      int size = Math.max(chunkBytes, up.minChunk);
      URI location = up.location;
      for (int off = 0; off < blob.length; off += size) {
        int len = Math.min(size, blob.length - off);
        HttpResponse<InputStream> r =
            s.send(
                new Session.Call(
                    "PATCH",
                    location,
                    Map.of(
                        "Content-Type",
                        "application/octet-stream",
                        "Content-Range",
                        off + "-" + (off + len - 1)),
                    blob,
                    off,
                    len,
                    s.deadline().total()));
        if (r.statusCode() != 202) {
          throw refused(digest, r);
        }
        Session.discard(r);
        location = location(r);
      }
      HttpResponse<InputStream> done = put(location, digest, new byte[0], 0, 0);
      if (done.statusCode() != 201) {
        throw refused(digest, done);
      }
      Session.discard(done);
    }

    private RuntimeException refused(String digest, HttpResponse<InputStream> r) {
      return s.protocol(
          "the registry refused blob "
              + digest
              + " (HTTP "
              + r.statusCode()
              + s.errorText(r)
              + ")");
    }
  }
}
