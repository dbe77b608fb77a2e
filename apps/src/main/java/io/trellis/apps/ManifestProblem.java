package io.trellis.apps;

/**
 * One thing wrong with a manifest.
 *
 * @param path where, e.g. {@code spec.components[1].traits[0].properties.replicas}
 * @param message what, e.g. {@code must be a whole number >= 0, got "three"}
 */
public record ManifestProblem(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
