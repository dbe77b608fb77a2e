package io.trellis.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Artifacts and cache inspection for the OCI tests. */
final class Samples {
  private Samples() {}

  static byte[] actor(String name) {
    try {
      return Files.readAllBytes(Path.of("..", "actors-samples", "dist", name + ".wasm"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes that start like a .par.gz (gzip magic); the registry does not care what follows. */
  static byte[] parLike(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    b[0] = 0x1f;
    b[1] = (byte) 0x8b;
    return b;
  }

  /** Every file in the cache (blobs, reference index, temp files). */
  static List<Path> cacheFiles(Path cache) {
    List<Path> files = new ArrayList<>();
    if (!Files.exists(cache)) {
      return files;
    }
    try (Stream<Path> s = Files.walk(cache)) {
      s.filter(Files::isRegularFile).forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
