package io.trellis.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.trellis.conformance.ReferenceScanner.Kind;
import io.trellis.conformance.ReferenceScanner.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every reference to docs/PROTOCOL.md anywhere in the repository (code comments, messages, poms,
 * scripts, docs) names a section, step or item the document has, and no reference cites the
 * protocol in a way a reader of this repository cannot resolve.
 */
class ProtocolReferencesTest {
  private static final Path ROOT = RepositoryFiles.root();
  private static final Path PROTOCOL = ROOT.resolve("docs").resolve("PROTOCOL.md");
  private static final ProtocolIndex INDEX = ProtocolIndex.read(PROTOCOL);

  @Test
  void everyProtocolReferenceInTheRepositoryResolves() {
    ReferenceScanner scanner = new ReferenceScanner(INDEX);
    List<Finding> findings = new ArrayList<>();
    int references = 0;
    int files = 0;
    for (Path file : RepositoryFiles.textFiles(ROOT)) {
      Result r = scanner.scan(ROOT.relativize(file).toString(), read(file), kindOf(file));
      findings.addAll(r.findings());
      references += r.references();
      files++;
    }
    if (!findings.isEmpty()) {
      StringBuilder b = new StringBuilder();
      b.append(findings.size()).append(" unresolvable protocol reference(s):\n");
      findings.forEach(f -> b.append("  ").append(f).append('\n'));
      fail(b.toString());
    }
    // A walk that found nothing would pass vacuously: the repository cites the protocol a lot.
    assertTrue(files > 300, "only " + files + " files under " + ROOT);
    assertTrue(references > 150, "only " + references + " references found under " + ROOT);
  }

  @Test
  void theProtocolKeepsTheNumbersTheCodeCites() {
    IntStream.rangeClosed(1, 13)
        .forEach(n -> assertTrue(INDEX.hasSection(Integer.toString(n)), "section " + n));
    for (String s :
        List.of("1.5", "2.5", "3.2", "4.9", "5.6", "6.3", "7.5", "8.6", "9.5", "10.5", "12.7")) {
      assertTrue(INDEX.hasSection(s), s);
    }
    IntStream.rangeClosed(1, 16).forEach(i -> assertTrue(INDEX.hasEntry("13", i), "item " + i));
    IntStream.rangeClosed(1, 9).forEach(i -> assertTrue(INDEX.hasEntry("4.5", i), "step " + i));
    IntStream.rangeClosed(1, 8).forEach(i -> assertTrue(INDEX.hasEntry("7.1", i), "step " + i));
  }

  @Test
  void aReferenceToASectionTheProtocolLacksFailsAgainstTheRealDocument() {
    String made = "// see PROTOCOL.md " + "§" + "99.1 and PROTOCOL.md " + "§" + "13 item 17\n";
    Result r = new ReferenceScanner(INDEX).scan("Made.java", made, Kind.OTHER);
    assertEquals(2, r.references());
    assertEquals(2, r.findings().size(), r.findings()::toString);
  }

  private static Kind kindOf(Path file) {
    if (file.equals(PROTOCOL)) {
      return Kind.PROTOCOL_DOC;
    }
    return file.getFileName().toString().endsWith(".md") ? Kind.MARKDOWN : Kind.OTHER;
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
