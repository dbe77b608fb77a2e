package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented example compiles (it is this module's test source), runs, and is what the doc
 * shows.
 */
class DocExampleTest {
  @TempDir Path dir;

  @Test
  void theDocumentedExampleRunsAgainstARealHost() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/trellis/ctl/DocExample.java"));
    String body = source.substring(source.indexOf("public final class DocExample"));
    String doc = Files.readString(Path.of("../docs/CONTROL-INTERFACE.md"));
    assertTrue(
        doc.contains(body.strip()),
        "docs/CONTROL-INTERFACE.md must show DocExample.java from its class line on");

    try (CtlLattice lattice = CtlLattice.withHosts(dir, 1)) {
      PrintStream old = System.out;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      System.setOut(new PrintStream(out, true));
      try {
        DocExample.main(new String[] {lattice.nats.url(), CtlLattice.echoRef()});
      } finally {
        System.setOut(old);
      }
      String printed = out.toString();
      assertTrue(printed.contains("host " + lattice.host(0).id()), printed);
      // the example's event lines race with its result line (another subscription), so they are not
      // checked
      assertTrue(
          printed.matches(
              "(?s).*started M[A-Z0-9]{55} \\(echo\\) on " + lattice.host(0).id() + ".*"),
          printed);
    }
  }
}
