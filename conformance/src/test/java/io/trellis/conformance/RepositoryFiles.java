package io.trellis.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The repository's own text files: sources, docs, poms, scripts and workflow files. */
final class RepositoryFiles {
  static final Set<String> EXTENSIONS = Set.of("java", "md", "xml", "sh", "yml", "yaml");

  /** Build output, VCS data and downloaded packages are not the repository's text. */
  static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", "node_modules");

  private RepositoryFiles() {}

  /**
   * The repository root: the parent of the conformance module's directory. Maven passes it as
   * {@code trellis.repository.root}; run from an IDE, the working directory is the module.
   */
  static Path root() {
    String configured = System.getProperty("trellis.repository.root");
    Path root =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of("").toAbsolutePath().getParent();
    return root.toAbsolutePath().normalize();
  }

  static List<Path> textFiles(Path root) {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return !dir.equals(root) && SKIPPED_DIRECTORIES.contains(name(dir))
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              String n = name(file);
              int dot = n.lastIndexOf('.');
              if (attrs.isRegularFile()
                  && dot > 0
                  && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                files.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot walk " + root, e);
    }
    files.sort(null);
    return files;
  }

  private static String name(Path p) {
    Path n = p.getFileName();
    return n == null ? "" : n.toString();
  }
}
