package io.trellis.oci;

import java.util.List;

/**
 * The media types of wasmCloud artifacts and of the manifests that carry them (PROTOCOL.md §14).
 */
public final class MediaTypes {
  /** wash's config blob type for actors; the blob itself is {@code {}}. */
  public static final String ACTOR_CONFIG = "application/vnd.wasmcloud.actor.archive.config";

  /** The actor module layer: the signed .wasm file as it is. */
  public static final String ACTOR_LAYER = "application/vnd.module.wasm.content.layer.v1+wasm";

  /** wash's config blob type for provider archives. */
  public static final String PROVIDER_CONFIG = "application/vnd.wasmcloud.provider.archive.config";

  /** The provider archive layer: the .par.gz file as it is, still gzipped. */
  public static final String PROVIDER_LAYER =
      "application/vnd.wasmcloud.provider.archive.layer.v1+par";

  /** An uncompressed tar layer; the OTP host accepts it for both kinds, so Trellis does too. */
  public static final String OCI_TAR_LAYER = "application/vnd.oci.image.layer.v1.tar";

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /**
   * What a pull asks for. The index types are included so that an index is recognised and named in
   * the refusal; distribution 2.8 answers 404 to an OCI manifest it may not send.
   */
  public static final List<String> MANIFEST_ACCEPT =
      List.of(OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_MANIFEST_LIST);

  private MediaTypes() {}
}
