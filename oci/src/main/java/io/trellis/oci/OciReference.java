package io.trellis.oci;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An OCI reference, {@code registry[:port]/repository[/...][:tag][@sha256:<hex>]} (PROTOCOL.md
 * §14.2). The whole reference is lower-cased first, as wash and the OTP host do, so the same text
 * names the same artifact everywhere. A name without a registry part is on Docker Hub ({@code
 * docker.io}, with {@code library/} for one-component names).
 *
 * @param registry host and optional port as written ({@code localhost:5000}, {@code ghcr.io})
 * @param repository the repository path ({@code org/echo})
 * @param tag the tag, or null when the reference has none (then {@code latest} is meant unless a
 *     digest is given)
 * @param digest {@code sha256:<64 hex>}, or null
 */
public record OciReference(
    String registry, String repository, @Nullable String tag, @Nullable String digest) {
  /** Docker Hub's name in references and for credentials. */
  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern HOST =
      Pattern.compile("(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");

  /**
   * @throws InvalidReferenceException naming the reference and what is wrong with it
   */
  public static OciReference parse(String reference) {
    String s = reference.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("oci://")) {
      s = s.substring("oci://".length());
    }
    if (s.isEmpty()) {
      throw invalid(reference, "it is empty");
    }
    String digest = null;
    int at = s.indexOf('@');
    if (at >= 0) {
      digest = s.substring(at + 1);
      s = s.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(
            reference, "the digest '" + digest + "' is not sha256: followed by 64 hex digits");
      }
    }
    String tag = null;
    int colon = s.lastIndexOf(':');
    if (colon > s.lastIndexOf('/')) {
      tag = s.substring(colon + 1);
      s = s.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(
            reference,
            "the tag '"
                + tag
                + "' is not valid (letters, digits, '_', '.', '-'; at most 128; not starting with"
                + " '.' or '-')");
      }
    }
    String registry;
    String path;
    int slash = s.indexOf('/');
    String first = slash > 0 ? s.substring(0, slash) : "";
    if (slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
      registry = first;
      path = s.substring(slash + 1);
      checkRegistry(reference, registry);
    } else {
      registry = DOCKER_HUB;
      path = s.contains("/") ? s : "library/" + s;
    }
    if (path.isEmpty()) {
      throw invalid(reference, "it names no repository after the registry " + registry);
    }
    for (String c : path.split("/", -1)) {
      if (!COMPONENT.matcher(c).matches()) {
        throw invalid(
            reference,
            "the repository part '"
                + c
                + "' is not valid (lower-case letters and digits, separated by '.', '_', '__' or"
                + " '-')");
      }
    }
    return new OciReference(registry, path, tag, digest);
  }

  private static void checkRegistry(String reference, String registry) {
    String host = registry;
    int colon = registry.lastIndexOf(':');
    if (colon >= 0 && !registry.endsWith("]")) {
      host = registry.substring(0, colon);
      String port = registry.substring(colon + 1);
      int p;
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) {
        throw invalid(reference, "the registry port '" + port + "' is not a port number");
      }
    }
    if (!HOST.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      throw invalid(reference, "the registry '" + registry + "' is not a host name");
    }
  }

  private static InvalidReferenceException invalid(String reference, String why) {
    return new InvalidReferenceException(
        "'" + reference + "' is not a valid OCI reference: " + why);
  }

  /** True when this names {@code :latest}, explicitly or by having neither tag nor digest. */
  public boolean isLatest() {
    return digest == null && (tag == null || tag.equals("latest"));
  }

  /** True when the reference pins a digest: its content can never change. */
  public boolean pinned() {
    return digest != null;
  }

  /** What {@code /v2/<repo>/manifests/<this>} takes: the digest, else the tag, else latest. */
  public String manifestReference() {
    if (digest != null) {
      return digest;
    }
    return tag == null ? "latest" : tag;
  }

  /** The host to connect to: Docker Hub's API lives at registry-1.docker.io. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** The registry's host name without the port, for credential lookups that ignore ports. */
  public String registryHostName() {
    if (registry.endsWith("]")) {
      return registry;
    }
    int colon = registry.lastIndexOf(':');
    return colon < 0 ? registry : registry.substring(0, colon);
  }

  /** The same repository at a digest (the tag is kept for messages). */
  public OciReference withDigest(String newDigest) {
    return new OciReference(registry, repository, tag, newDigest);
  }

  /** {@code registry/repository[:tag][@digest]}, the canonical text. */
  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag == null ? "" : ":" + tag)
        + (digest == null ? "" : "@" + digest);
  }
}
