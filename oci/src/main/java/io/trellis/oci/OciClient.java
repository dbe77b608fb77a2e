package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/**
 * Pulls and pushes wasmCloud artifacts (PROTOCOL.md §14). Thread-safe; one per process is enough
 * (it keeps connections, tokens and the cache). Every failure is an {@link OciException} that names
 * the reference and the cause.
 *
 * <pre>{@code
 * try (OciClient oci = new OciClient(OciOptions.defaults(dirs.ociCache()), CredentialSource.none())) {
 *   PulledArtifact a = oci.pull("ghcr.io/org/echo:0.3.4", ArtifactKind.ACTOR);
 * }
 * }</pre>
 */
public final class OciClient implements AutoCloseable {
  private final OciOptions options;
  private final Transport transport;
  private final Puller puller;
  private final Pusher pusher;

  public OciClient(OciOptions options, CredentialSource credentials) {
    this.options = options;
    this.transport = new Transport(options, credentials);
    BlobCache cache =
        options.cacheDir() == null
            ? null
            : new BlobCache(options.cacheDir(), options.cacheMaxBytes());
    this.puller = new Puller(transport, cache);
    this.pusher = new Pusher(transport);
  }

  public OciOptions options() {
    return options;
  }

  /**
   * The checks that need no network: the reference parses, and {@code :latest} (or no tag) is
   * allowed by {@link OciOptions#allowLatest}.
   *
   * @throws InvalidReferenceException saying how to allow latest when that is the problem
   */
  public OciReference check(String reference) {
    OciReference ref = OciReference.parse(reference);
    if (ref.isLatest() && !options.allowLatest()) {
      throw new InvalidReferenceException(
          "cannot pull "
              + ref
              + ": "
              + (ref.tag() == null ? "a reference without a tag means :latest, which" : ":latest")
              + " is not allowed on this host; use a version tag or a digest, or set"
              + " WASMCLOUD_OCI_ALLOW_LATEST=true");
    }
    return ref;
  }

  /**
   * Pulls an artifact through the cache.
   *
   * @param expected the kind the caller can use, or null for either; a reference to the other kind
   *     is refused with an {@link UnsupportedArtifactException}
   */
  public PulledArtifact pull(String reference, @Nullable ArtifactKind expected) {
    return puller.pull(check(reference), expected);
  }

  /** Pushes in wash's layout; {@link PushRequest#allowLatest} decides about {@code :latest}. */
  public PushResult push(String reference, byte[] artifact, PushRequest request) {
    return pusher.push(OciReference.parse(reference), artifact, request);
  }

  @Override
  public void close() {
    transport.close();
  }
}
