package io.trellis.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pull (PROTOCOL.md §14.3): a digest reference that is cached needs no network; a tag is
 * revalidated with one manifest request, and only a changed or missing layer is downloaded. When
 * the registry cannot be reached and the tag's last digest is cached, the cache answers with a
 * warning. A failed pull leaves nothing in the cache: blobs are stored only once verified, the
 * manifest and the reference index only after the layer.
 */
final class Puller {
  private static final Logger LOG = LoggerFactory.getLogger(Puller.class);
  static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  private final Transport transport;
  private final @Nullable BlobCache cache;

  public Puller(Transport transport, @Nullable BlobCache cache) {
    this.transport = transport;
    this.cache = cache;
  }

  public PulledArtifact pull(OciReference ref, @Nullable ArtifactKind expected) {
    Deadline deadline = Deadline.in(transport.options().deadline());
    Session s = transport.session(ref, Session.Action.PULL, deadline);
    if (cache != null && ref.pinned()) {
      Optional<PulledArtifact> hit =
          fromCache(s, ref.digest(), expected, PulledArtifact.Source.CACHE, null);
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    Optional<String> known = cache == null || ref.pinned() ? Optional.empty() : cache.resolved(ref);
    Fetched manifest;
    try {
      // With a cached answer at hand, a registry that does not answer soon counts as down.
      Duration cap = known.isPresent() ? transport.options().connectTimeout() : deadline.total();
      manifest = fetchManifest(s, ref.manifestReference(), cap);
    } catch (RegistryUnreachableException | PullTimeoutException e) {
      if (known.isPresent()) {
        String warning =
            "registry "
                + ref.registry()
                + " is unreachable ("
                + e.getMessage().substring(s.prefix().length())
                + "); starting "
                + ref
                + " from the cache at "
                + known.get()
                + ", which may be outdated";
        Optional<PulledArtifact> hit =
            fromCache(s, known.get(), expected, PulledArtifact.Source.CACHE_OFFLINE, warning);
        if (hit.isPresent()) {
          LOG.warn("{}", warning);
          return hit.get();
        }
      }
      throw e;
    }
    Manifest.Image image = image(s, manifest, expected);
    String imageDigest = manifest.imageDigest;
    LayerChoice choice = LayerChoice.choose(image, expected, s);
    Manifest.Descriptor layer = choice.layer();
    byte[] bytes = cache == null ? null : cachedLayer(layer);
    PulledArtifact.Source source = PulledArtifact.Source.CACHE;
    if (bytes == null) {
      bytes = download(s, layer);
      source = PulledArtifact.Source.REGISTRY;
    }
    ArtifactKind kind = choice.kind() != null ? choice.kind() : detect(s, bytes);
    if (cache != null) {
      if (source == PulledArtifact.Source.REGISTRY) {
        cache.put(layer.digest(), bytes);
      }
      cache.put(imageDigest, manifest.imageBytes);
      if (!ref.pinned() && !known.equals(Optional.of(imageDigest))) {
        cache.remember(ref, imageDigest);
      }
      if (source == PulledArtifact.Source.REGISTRY) {
        cache.trim(Set.of(layer.digest(), imageDigest));
      }
    }
    return new PulledArtifact(ref, imageDigest, layer.digest(), kind, bytes, source, null);
  }

  private static ArtifactKind detect(Session s, byte[] bytes) {
    try {
      return ArtifactKind.detect(bytes, "the tar layer of " + s.reference());
    } catch (UnsupportedArtifactException e) {
      throw new UnsupportedArtifactException(s.prefix() + e.getMessage(), e);
    }
  }

  private byte @Nullable [] cachedLayer(Manifest.Descriptor layer) {
    return cache != null && cache.has(layer.digest(), layer.size())
        ? cache.read(layer.digest())
        : null;
  }

  /** A manifest as fetched, and the image manifest it leads to (itself, or an index entry). */
  private static final class Fetched {
    final Manifest manifest;
    byte[] imageBytes;
    String imageDigest;

    Fetched(Manifest manifest, byte[] bytes, String digest) {
      this.manifest = manifest;
      this.imageBytes = bytes;
      this.imageDigest = digest;
    }
  }

  private Manifest.Image image(Session s, Fetched f, @Nullable ArtifactKind expected) {
    if (f.manifest instanceof Manifest.Image i) {
      return i;
    }
    Manifest.Index index = (Manifest.Index) f.manifest;
    Manifest.Descriptor entry =
        LayerChoice.wasmEntry(index)
            .orElseThrow(
                () ->
                    new UnsupportedArtifactException(
                        s.prefix()
                            + "it is "
                            + LayerChoice.describe(index)
                            + ", not "
                            + (expected == null
                                ? "a wasmCloud actor module or provider archive"
                                : expected.withArticle())));
    Fetched child = fetchManifest(s, entry.digest(), s.deadline().total());
    if (!(child.manifest instanceof Manifest.Image i)) {
      throw s.protocol("the index entry " + entry.digest() + " is another index");
    }
    f.imageBytes = child.imageBytes;
    f.imageDigest = child.imageDigest;
    return i;
  }

  private Fetched fetchManifest(Session s, String reference, Duration cap) {
    HttpResponse<InputStream> resp =
        s.send(
            Session.Call.get(
                s.uri("manifests/" + reference),
                Map.of("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT)),
                cap));
    int status = resp.statusCode();
    if (status == 404) {
      throw new ArtifactNotFoundException(
          s.prefix()
              + (reference.startsWith("sha256:") ? "no manifest " : "no tag '")
              + reference
              + (reference.startsWith("sha256:") ? "" : "'")
              + " in repository "
              + s.reference().repository()
              + " (HTTP 404"
              + s.errorText(resp)
              + ")");
    }
    if (status == 502 || status == 503 || status == 504) {
      throw new RegistryUnreachableException(
          s.prefix() + "the registry is not available (HTTP " + status + s.errorText(resp) + ")");
    }
    if (status != 200) {
      throw s.protocol("the registry answered HTTP " + status + s.errorText(resp));
    }
    long declared = resp.headers().firstValueAsLong("content-length").orElse(-1);
    if (declared > MAX_MANIFEST_BYTES) {
      Session.discard(resp);
      throw tooLargeManifest(s, declared);
    }
    String headerDigest = resp.headers().firstValue("docker-content-digest").orElse(null);
    String contentType = resp.headers().firstValue("content-type").orElse(null);
    byte[] bytes = s.readBody(resp, MAX_MANIFEST_BYTES, "the manifest");
    if (bytes == null) {
      throw tooLargeManifest(s, -1);
    }
    String digest = Digests.of(bytes);
    if (reference.startsWith("sha256:") && !digest.equals(reference)) {
      throw new DigestMismatchException(
          s.prefix() + "the manifest hashes to " + digest + ", not to " + reference);
    }
    if (headerDigest != null
        && headerDigest.startsWith("sha256:")
        && !headerDigest.equals(digest)) {
      throw new DigestMismatchException(
          s.prefix()
              + "the manifest hashes to "
              + digest
              + " but the registry says it is "
              + headerDigest);
    }
    String[] problem = new String[1];
    Manifest m = Manifest.parse(bytes, contentType, problem);
    if (m == null) {
      throw new UnsupportedArtifactException(s.prefix() + problem[0]);
    }
    return new Fetched(m, bytes, digest);
  }

  private static ArtifactTooLargeException tooLargeManifest(Session s, long size) {
    return new ArtifactTooLargeException(
        s.prefix()
            + "the manifest is "
            + (size > 0 ? size + " bytes" : "larger than")
            + (size > 0 ? ", over" : "")
            + " the limit of "
            + MAX_MANIFEST_BYTES
            + " bytes");
  }

  private Optional<PulledArtifact> fromCache(
      Session s,
      String manifestDigest,
      @Nullable ArtifactKind expected,
      PulledArtifact.Source source,
      @Nullable String warning) {
    if (cache == null) {
      return Optional.empty();
    }
    byte[] mb = cache.read(manifestDigest);
    if (mb == null) {
      return Optional.empty();
    }
    String[] problem = new String[1];
    Manifest m = Manifest.parse(mb, null, problem);
    if (!(m instanceof Manifest.Image image)) {
      return Optional.empty();
    }
    LayerChoice choice;
    try {
      choice = LayerChoice.choose(image, expected, s);
    } catch (OciException e) {
      // the cached artifact is of the other kind: the same answer the registry would give
      throw e;
    }
    byte[] bytes = cachedLayer(choice.layer());
    if (bytes == null) {
      return Optional.empty();
    }
    ArtifactKind kind = choice.kind() != null ? choice.kind() : detect(s, bytes);
    return Optional.of(
        new PulledArtifact(
            s.reference(), manifestDigest, choice.layer().digest(), kind, bytes, source, warning));
  }

  /** Downloads a layer into memory, checking size and digest as the bytes arrive. */
  private byte[] download(Session s, Manifest.Descriptor layer) {
    long max = transport.options().maxBlobBytes();
    if (layer.size() > max || layer.size() > Integer.MAX_VALUE - 8) {
      throw new ArtifactTooLargeException(
          s.prefix()
              + "the artifact is "
              + layer.size()
              + " bytes, over the limit of "
              + max
              + " bytes (TRELLIS_MAX_ARTIFACT_BYTES)");
    }
    HttpResponse<InputStream> resp =
        s.send(Session.Call.get(s.uri("blobs/" + layer.digest()), Map.of(), s.deadline().total()));
    int status = resp.statusCode();
    if (status == 404) {
      throw new ArtifactNotFoundException(
          s.prefix()
              + "the registry lost blob "
              + layer.digest()
              + " (HTTP 404"
              + s.errorText(resp)
              + ")");
    }
    if (status != 200) {
      throw s.protocol(
          "the registry answered HTTP "
              + status
              + " for blob "
              + layer.digest()
              + s.errorText(resp));
    }
    long declared = resp.headers().firstValueAsLong("content-length").orElse(-1);
    if (declared > max) {
      Session.discard(resp);
      throw new ArtifactTooLargeException(
          s.prefix() + "the blob is " + declared + " bytes, over the limit of " + max + " bytes");
    }
    byte[] buf = new byte[(int) layer.size()];
    MessageDigest md = Digests.sha256();
    int n = 0;
    boolean extra;
    try (InputStream in = resp.body();
        Transport.Watch w = transport.watch(in, s.deadline().remaining())) {
      try {
        while (n < buf.length) {
          int r = in.read(buf, n, buf.length - n);
          if (r < 0) {
            break;
          }
          md.update(buf, n, r);
          n += r;
        }
        extra = n == buf.length && in.read() >= 0;
      } catch (IOException e) {
        if (w.fired() || s.deadline().expired()) {
          throw s.timeout();
        }
        throw new RegistryUnreachableException(
            s.prefix() + "the download of " + layer.digest() + " broke off: " + e.getMessage(), e);
      }
      if (w.fired()) {
        throw s.timeout();
      }
    } catch (IOException e) {
      throw new RegistryUnreachableException(s.prefix() + e.getMessage(), e);
    }
    if (n < buf.length || extra) {
      throw new DigestMismatchException(
          s.prefix()
              + "blob "
              + layer.digest()
              + " should be "
              + layer.size()
              + " bytes, the registry sent "
              + (extra ? "more" : n + " bytes"));
    }
    String got = Digests.of(md);
    if (!got.equals(layer.digest())) {
      throw new DigestMismatchException(
          s.prefix() + "blob " + layer.digest() + " arrived with digest " + got + " (corrupt)");
    }
    return buf;
  }
}
