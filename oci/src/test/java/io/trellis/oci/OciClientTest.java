package io.trellis.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.OciRegistry;
import io.trellis.testkit.RawOci;
import io.trellis.wasmbus.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull, push and the cache against a real docker-registry (anonymous). */
class OciClientTest {
  static OciRegistry reg;
  static RawOci raw;
  static final byte[] ECHO = Samples.actor("echo");
  static final byte[] ECHO2 = Samples.actor("echo_unprivileged");

  @TempDir Path cache;

  @BeforeAll
  static void up() {
    reg = OciRegistry.start();
    raw = new RawOci(reg);
  }

  @AfterAll
  static void down() {
    reg.close();
  }

  private OciOptions options() {
    return OciOptions.defaults(cache).withAllowedInsecure(List.of(reg.host()));
  }

  private OciClient client() {
    return new OciClient(options(), CredentialSource.none());
  }

  @Test
  void pushThenPullByTagThenFromTheCacheThenByDigest() {
    try (OciClient oci = client()) {
      PushResult pushed = oci.push(reg.host() + "/t/echo:0.1.0", ECHO, PushRequest.defaults());
      assertEquals(ArtifactKind.ACTOR, pushed.kind());
      assertEquals(RawOci.sha256(pushed.manifest()), pushed.manifestDigest());

      PulledArtifact first = oci.pull(reg.host() + "/t/echo:0.1.0", ArtifactKind.ACTOR);
      assertArrayEquals(ECHO, first.bytes());
      assertEquals(PulledArtifact.Source.REGISTRY, first.source());
      assertEquals(pushed.manifestDigest(), first.manifestDigest());
      assertEquals(RawOci.sha256(ECHO), first.layerDigest());
      assertNull(first.warning());

      PulledArtifact second = oci.pull(reg.host() + "/t/echo:0.1.0", ArtifactKind.ACTOR);
      assertEquals(PulledArtifact.Source.CACHE, second.source());
      assertArrayEquals(ECHO, second.bytes());

      PulledArtifact byDigest = oci.pull(reg.host() + "/t/echo@" + pushed.manifestDigest(), null);
      assertEquals(PulledArtifact.Source.CACHE, byDigest.source());
      assertEquals(ArtifactKind.ACTOR, byDigest.kind());
      assertArrayEquals(ECHO, byDigest.bytes());
    }
  }

  @Test
  void aDigestReferenceDownloadsWhenNotCachedAndIsCheckedAgainstTheDigest() {
    String digest;
    try (OciClient oci = client()) {
      digest =
          oci.push(reg.host() + "/t/bydigest:1", ECHO2, PushRequest.defaults()).manifestDigest();
    }
    try (OciClient oci = client()) {
      PulledArtifact a = oci.pull(reg.host() + "/t/bydigest@" + digest, ArtifactKind.ACTOR);
      assertEquals(PulledArtifact.Source.REGISTRY, a.source());
      assertArrayEquals(ECHO2, a.bytes());
    }
  }

  @Test
  void whatTrellisPushWritesIsWashsLayoutFieldByField() throws Exception {
    try (OciClient oci = client()) {
      oci.push(
          reg.host() + "/t/layout:1.0.0",
          ECHO,
          PushRequest.defaults()
              .withAnnotations(
                  Map.of("org.opencontainers.image.source", "https://x.example/echo")));
      oci.push(reg.host() + "/t/layout:1.0.1", ECHO, PushRequest.defaults());
    }
    JsonNode m = Json.MAPPER.readTree(raw.manifest("t/layout", "1.0.0"));
    assertEquals(
        List.of("schemaVersion", "mediaType", "config", "layers", "annotations"), names(m));
    assertEquals(2, m.get("schemaVersion").asInt());
    assertEquals(MediaTypes.OCI_MANIFEST, m.get("mediaType").asText());
    JsonNode c = m.get("config");
    assertEquals(List.of("mediaType", "digest", "size"), names(c));
    assertEquals(MediaTypes.ACTOR_CONFIG, c.get("mediaType").asText());
    assertEquals(
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        c.get("digest").asText());
    assertEquals(2, c.get("size").asInt());
    assertEquals(
        "{}", new String(raw.blob("t/layout", c.get("digest").asText()), StandardCharsets.UTF_8));
    assertEquals(1, m.get("layers").size());
    JsonNode l = m.get("layers").get(0);
    assertEquals(List.of("mediaType", "digest", "size"), names(l));
    assertEquals(MediaTypes.ACTOR_LAYER, l.get("mediaType").asText());
    assertEquals(RawOci.sha256(ECHO), l.get("digest").asText());
    assertEquals(ECHO.length, l.get("size").asLong());
    assertArrayEquals(ECHO, raw.blob("t/layout", l.get("digest").asText()));
    assertEquals(
        "https://x.example/echo",
        m.get("annotations").get("org.opencontainers.image.source").asText());

    // Without annotations the manifest is the very bytes the hand-written (curl) push produces.
    String byHand =
        raw.pushWashLayout(
            "t/layout-curl", "1.0.1", MediaTypes.ACTOR_CONFIG, MediaTypes.ACTOR_LAYER, ECHO);
    assertArrayEquals(raw.manifest("t/layout-curl", "1.0.1"), raw.manifest("t/layout", "1.0.1"));
    assertEquals(byHand, RawOci.sha256(raw.manifest("t/layout", "1.0.1")));
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void providerArchivesUseTheProviderTypesAndGoUpInChunksWhenLarge() throws Exception {
    byte[] par = Samples.parLike(100_000);
    try (OciClient oci =
        new OciClient(options().withChunkBytes(16 * 1024), CredentialSource.none())) {
      PushResult r = oci.push(reg.host() + "/t/provider:0.1.0", par, PushRequest.defaults());
      assertEquals(ArtifactKind.PROVIDER, r.kind());
      PulledArtifact p = oci.pull(reg.host() + "/t/provider:0.1.0", ArtifactKind.PROVIDER);
      assertArrayEquals(par, p.bytes());
      assertEquals(ArtifactKind.PROVIDER, p.kind());
    }
    JsonNode m = Json.MAPPER.readTree(raw.manifest("t/provider", "0.1.0"));
    assertEquals(MediaTypes.PROVIDER_CONFIG, m.get("config").get("mediaType").asText());
    assertEquals(MediaTypes.PROVIDER_LAYER, m.get("layers").get(0).get("mediaType").asText());
  }

  @Test
  void aModulePushedByHandInWashsLayoutPulls() {
    raw.pushWashLayout("t/curl", "0.3.4", MediaTypes.ACTOR_CONFIG, MediaTypes.ACTOR_LAYER, ECHO);
    raw.pushWashLayout(
        "t/curl-tar", "0.3.4", MediaTypes.ACTOR_CONFIG, MediaTypes.OCI_TAR_LAYER, ECHO);
    try (OciClient oci = client()) {
      assertArrayEquals(ECHO, oci.pull(reg.host() + "/t/curl:0.3.4", ArtifactKind.ACTOR).bytes());
      PulledArtifact tar = oci.pull(reg.host() + "/t/curl-tar:0.3.4", null);
      assertEquals(ArtifactKind.ACTOR, tar.kind());
      assertArrayEquals(ECHO, tar.bytes());
    }
  }

  @Test
  void aMutableTagIsRevalidatedOnEveryPull() {
    String ref = reg.host() + "/t/mutable:1.0";
    try (OciClient oci = client()) {
      oci.push(ref, ECHO, PushRequest.defaults());
      PulledArtifact a = oci.pull(ref, ArtifactKind.ACTOR);
      assertArrayEquals(ECHO, a.bytes());
      oci.push(ref, ECHO2, PushRequest.defaults());
      PulledArtifact b = oci.pull(ref, ArtifactKind.ACTOR);
      assertEquals(PulledArtifact.Source.REGISTRY, b.source());
      assertArrayEquals(ECHO2, b.bytes());
      assertNotEquals(a.manifestDigest(), b.manifestDigest());
      assertEquals(PulledArtifact.Source.CACHE, oci.pull(ref, ArtifactKind.ACTOR).source());
    }
  }

  @Test
  void withTheRegistryStoppedAWarmCacheStillServesAndSaysSo() {
    try (OciRegistry own = OciRegistry.start();
        OciClient oci =
            new OciClient(
                OciOptions.defaults(cache).withAllowedInsecure(List.of(own.host())),
                CredentialSource.none())) {
      String ref = own.host() + "/t/offline:2.0";
      String digest = oci.push(ref, ECHO, PushRequest.defaults()).manifestDigest();
      oci.pull(ref, ArtifactKind.ACTOR);
      own.stop();

      PulledArtifact offline = oci.pull(ref, ArtifactKind.ACTOR);
      assertEquals(PulledArtifact.Source.CACHE_OFFLINE, offline.source());
      assertArrayEquals(ECHO, offline.bytes());
      assertTrue(
          offline.warning().contains("registry " + own.host() + " is unreachable"),
          offline.warning());
      assertTrue(offline.warning().contains(digest), offline.warning());

      PulledArtifact pinned = oci.pull(own.host() + "/t/offline@" + digest, ArtifactKind.ACTOR);
      assertEquals(PulledArtifact.Source.CACHE, pinned.source());
      assertNull(pinned.warning());

      RegistryUnreachableException cold =
          assertThrows(
              RegistryUnreachableException.class,
              () -> oci.pull(own.host() + "/t/never-pulled:1", ArtifactKind.ACTOR));
      assertTrue(
          cold.getMessage()
              .startsWith("cannot pull " + own.host() + "/t/never-pulled:1: the connection to "),
          cold.getMessage());
      assertTrue(cold.getMessage().contains("refused"), cold.getMessage());
    }
  }

  @Test
  void aMissingTagNamesTheTagAndRepository() {
    try (OciClient oci = client()) {
      ArtifactNotFoundException e =
          assertThrows(
              ArtifactNotFoundException.class,
              () -> oci.pull(reg.host() + "/t/nothing:9.9.9", ArtifactKind.ACTOR));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "cannot pull "
                      + reg.host()
                      + "/t/nothing:9.9.9: no tag '9.9.9' in repository t/nothing (HTTP 404"),
          e.getMessage());
    }
    assertTrue(Samples.cacheFiles(cache).isEmpty());
  }

  @Test
  void unknownHostsRefusedConnectionsAndTlsToAPlainRegistryAreNamed() {
    int closed = FreePorts.allocate(1)[0];
    OciOptions o =
        options()
            .withAllowedInsecure(
                List.of(reg.host(), "no-such-host.invalid", "127.0.0.1:" + closed));
    try (OciClient oci = new OciClient(o, CredentialSource.none())) {
      RegistryUnreachableException unknown =
          assertThrows(
              RegistryUnreachableException.class,
              () -> oci.pull("no-such-host.invalid:5000/a/b:1", ArtifactKind.ACTOR));
      assertEquals(
          "cannot pull no-such-host.invalid:5000/a/b:1: unknown host 'no-such-host.invalid' (it does not resolve)",
          unknown.getMessage());
      RegistryUnreachableException refused =
          assertThrows(
              RegistryUnreachableException.class,
              () -> oci.pull("127.0.0.1:" + closed + "/a/b:1", ArtifactKind.ACTOR));
      assertEquals(
          "cannot pull 127.0.0.1:"
              + closed
              + "/a/b:1: the connection to 127.0.0.1:"
              + closed
              + " was refused (is the registry running?)",
          refused.getMessage());
    }
    try (OciClient https = new OciClient(OciOptions.defaults(cache), CredentialSource.none())) {
      RegistryUnreachableException tls =
          assertThrows(
              RegistryUnreachableException.class,
              () -> https.pull(reg.host() + "/t/x:1", ArtifactKind.ACTOR));
      assertTrue(tls.getMessage().contains("TLS with " + reg.host() + " failed"), tls.getMessage());
      assertTrue(tls.getMessage().contains("WASMCLOUD_OCI_ALLOWED_INSECURE"), tls.getMessage());
    }
  }

  @Test
  void aCorruptBlobIsRefusedAndNothingOfItIsCached() throws Exception {
    byte[] unique = ECHO.clone();
    unique[unique.length - 1] ^= 0x55; // different digest from every other test's blob
    String ref = reg.host() + "/t/corrupt:1";
    String layer;
    try (OciClient push = new OciClient(options().withCache(null, 0), CredentialSource.none())) {
      layer = push.push(ref, unique, PushRequest.defaults()).manifestDigest();
    }
    layer = RawOci.sha256(unique);
    byte[] garbage = unique.clone();
    garbage[100] ^= 0x01;
    Files.write(reg.blobData(layer), garbage);
    try (OciClient oci = client()) {
      DigestMismatchException e =
          assertThrows(DigestMismatchException.class, () -> oci.pull(ref, ArtifactKind.ACTOR));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "cannot pull " + ref + ": blob " + layer + " arrived with digest sha256:"),
          e.getMessage());
    }
    assertEquals(List.of(), Samples.cacheFiles(cache));
  }

  @Test
  void aBlobOverTheLimitIsRefusedBeforeDownloading() {
    String ref = reg.host() + "/t/big:1";
    try (OciClient oci = new OciClient(options().withMaxBlobBytes(1024), CredentialSource.none())) {
      oci.push(ref, ECHO, PushRequest.defaults());
      ArtifactTooLargeException e =
          assertThrows(ArtifactTooLargeException.class, () -> oci.pull(ref, ArtifactKind.ACTOR));
      assertEquals(
          "cannot pull "
              + ref
              + ": the artifact is "
              + ECHO.length
              + " bytes, over the limit of 1024 bytes (TRELLIS_MAX_ARTIFACT_BYTES)",
          e.getMessage());
    }
    assertEquals(List.of(), Samples.cacheFiles(cache));
  }

  @Test
  void containerImagesIndexesAndTheOtherKindAreRefusedSayingWhatTheyAre() {
    String image =
        raw.pushWashLayout(
            "t/container",
            "1",
            "application/vnd.oci.image.config.v1+json",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "not really a tarball".getBytes(StandardCharsets.UTF_8));
    String index =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":"
            + "[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
            + image
            + "\",\"size\":"
            + raw.manifest("t/container", "1").length
            + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
    raw.putManifest(
        "t/container", "multi", MediaTypes.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8));
    raw.pushWashLayout("t/odd", "1", MediaTypes.ACTOR_CONFIG, "application/octet-stream", ECHO);
    try (OciClient oci = client()) {
      oci.push(reg.host() + "/t/aprovider:1", Samples.parLike(500), PushRequest.defaults());
      oci.push(reg.host() + "/t/anactor:1", ECHO, PushRequest.defaults());

      assertEquals(
          "cannot pull "
              + reg.host()
              + "/t/container:1: it is a container image (config application/vnd.oci.image.config.v1+json;"
              + " 1 layer of type application/vnd.oci.image.layer.v1.tar+gzip), not an actor module",
          assertThrows(
                  UnsupportedArtifactException.class,
                  () -> oci.pull(reg.host() + "/t/container:1", ArtifactKind.ACTOR))
              .getMessage());
      assertTrue(
          assertThrows(
                  UnsupportedArtifactException.class,
                  () -> oci.pull(reg.host() + "/t/container:multi", ArtifactKind.ACTOR))
              .getMessage()
              .endsWith(
                  "it is an image index (1 entries: linux/amd64) with no wasm artifact, not an actor module"));
      assertTrue(
          assertThrows(
                  UnsupportedArtifactException.class,
                  () -> oci.pull(reg.host() + "/t/odd:1", ArtifactKind.ACTOR))
              .getMessage()
              .contains(
                  "an artifact without a wasmCloud layer (config "
                      + MediaTypes.ACTOR_CONFIG
                      + "; 1 layer of type application/octet-stream)"));
      assertTrue(
          assertThrows(
                  UnsupportedArtifactException.class,
                  () -> oci.pull(reg.host() + "/t/aprovider:1", ArtifactKind.ACTOR))
              .getMessage()
              .contains(
                  "it is a provider archive (layer "
                      + MediaTypes.PROVIDER_LAYER
                      + "), not an actor module"));
      assertTrue(
          assertThrows(
                  UnsupportedArtifactException.class,
                  () -> oci.pull(reg.host() + "/t/anactor:1", ArtifactKind.PROVIDER))
              .getMessage()
              .contains("it is an actor module"));
    }
    assertEquals(List.of(), Samples.cacheFiles(cache));
  }

  @Test
  void latestNeedsPermissionAndTheErrorSaysHow() {
    try (OciClient oci = client()) {
      InvalidReferenceException pull =
          assertThrows(
              InvalidReferenceException.class,
              () -> oci.pull(reg.host() + "/t/echo:latest", ArtifactKind.ACTOR));
      assertTrue(pull.getMessage().contains("WASMCLOUD_OCI_ALLOW_LATEST=true"), pull.getMessage());
      assertTrue(
          assertThrows(InvalidReferenceException.class, () -> oci.check(reg.host() + "/t/echo"))
              .getMessage()
              .contains("without a tag means :latest"));
      InvalidReferenceException push =
          assertThrows(
              InvalidReferenceException.class,
              () -> oci.push(reg.host() + "/t/latest", ECHO, PushRequest.defaults()));
      assertTrue(push.getMessage().contains("--allow-latest"), push.getMessage());
      oci.push(reg.host() + "/t/latest:latest", ECHO, PushRequest.defaults().withAllowLatest(true));
    }
    try (OciClient latest =
        new OciClient(options().withAllowLatest(true), CredentialSource.none())) {
      assertArrayEquals(ECHO, latest.pull(reg.host() + "/t/latest", ArtifactKind.ACTOR).bytes());
    }
  }

  @Test
  void theCacheIsPrivateAndBounded() throws Exception {
    long limit = ECHO.length + ECHO2.length / 2;
    try (OciClient oci =
        new OciClient(options().withCache(cache, limit), CredentialSource.none())) {
      oci.push(reg.host() + "/t/lru-a:1", ECHO, PushRequest.defaults());
      oci.push(reg.host() + "/t/lru-b:1", ECHO2, PushRequest.defaults());
      oci.pull(reg.host() + "/t/lru-a:1", ArtifactKind.ACTOR);
      assertEquals(
          "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
      oci.pull(reg.host() + "/t/lru-b:1", ArtifactKind.ACTOR);
      long blobs =
          Samples.cacheFiles(cache.resolve("blobs")).stream()
              .mapToLong(p -> p.toFile().length())
              .sum();
      assertTrue(blobs <= limit, "cache holds " + blobs + " bytes, limit " + limit);
      assertEquals(
          PulledArtifact.Source.CACHE,
          oci.pull(reg.host() + "/t/lru-b:1", ArtifactKind.ACTOR).source());
      assertEquals(
          PulledArtifact.Source.REGISTRY,
          oci.pull(reg.host() + "/t/lru-a:1", ArtifactKind.ACTOR).source(),
          "the least recently used artifact was evicted");
    }
  }
}
