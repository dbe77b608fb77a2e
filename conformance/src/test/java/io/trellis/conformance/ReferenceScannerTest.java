package io.trellis.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.conformance.ReferenceScanner.Kind;
import io.trellis.conformance.ReferenceScanner.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scanner on made-up text, so that it is known to fail on what it must refuse. Inputs that
 * would be findings in this very file are assembled from pieces ({@code "§" + "9.9"}), because the
 * repository-wide test scans this file too.
 */
class ReferenceScannerTest {
  private static final String S = "§";

  private static final ProtocolIndex INDEX =
      ProtocolIndex.parse(
          String.join(
              "\n",
              "# Title",
              "## 4. RPC",
              "### 4.5 Validation on receipt",
              "1. decode",
              "2. check the token",
              "   3. an indented line is not an entry",
              "```",
              "3. nor is a line in a code block",
              "```",
              "### 4.6 Responses",
              "## 13. Decisions",
              "1. first",
              "5. fifth",
              ""));

  private static Result scan(String text, Kind kind) {
    return new ReferenceScanner(INDEX).scan("F", text, kind);
  }

  private static List<String> problems(String text, Kind kind) {
    return scan(text, kind).findings().stream().map(Finding::toString).toList();
  }

  @Test
  void theIndexHasHeadingsAndUnindentedNumberedEntriesOutsideCodeBlocks() {
    assertTrue(INDEX.hasSection("4") && INDEX.hasSection("4.5") && INDEX.hasSection("13"));
    assertTrue(INDEX.hasEntry("4.5", 2) && INDEX.hasEntry("13", 5));
    assertTrue(!INDEX.hasEntry("4.5", 3) && !INDEX.hasEntry("4.6", 1) && !INDEX.hasEntry("13", 2));
    assertTrue(!INDEX.hasSection("4.7") && !INDEX.hasSection("1"));
  }

  @Test
  void referencesToExistingSectionsStepsAndItemsPass() {
    String text =
        "// checks of PROTOCOL.md "
            + S
            + "4.5 step 2, then PROTOCOL.md "
            + S
            + "13 item 5 and PROTOCOL.md "
            + S
            + "4 and "
            + S
            + "4.6.";
    Result r = scan(text, Kind.OTHER);
    assertEquals(List.of(), r.findings());
    assertEquals(4, r.references());
  }

  @Test
  void aMissingSectionIsReportedWithFileLineAndReference() {
    List<String> p = problems("line one\nsee PROTOCOL.md " + S + "99.9 here\n", Kind.OTHER);
    assertEquals(
        List.of("F:2: '" + S + "99.9': docs/PROTOCOL.md has no heading for " + S + "99.9"), p);
  }

  @Test
  void aMissingItemOrStepIsReported() {
    assertEquals(
        List.of(
            "F:1: '" + S + "13 item 6': " + S + "13 of docs/PROTOCOL.md has no numbered entry 6"),
        problems("PROTOCOL.md " + S + "13 item 6", Kind.MARKDOWN));
    assertEquals(
        1, scan("PROTOCOL.md " + S + "4.5 steps 1-3", Kind.OTHER).findings().size(), "range end");
  }

  @Test
  void everySectionOfAChainIsChecked() {
    Result r = scan("(PROTOCOL.md " + S + "4.5, " + S + "7.7 / " + S + "4.6)", Kind.OTHER);
    assertEquals(3, r.references());
    assertEquals(1, r.findings().size());
    assertTrue(r.findings().get(0).reference().equals(S + "7.7"));
  }

  @Test
  void aReferenceWrappedAcrossJavadocLinesIsFoundOnTheLineOfItsSection() {
    String ok = "/**\n * Checks (PROTOCOL.md\n * " + S + "4.5 step\n * 2) first.\n */";
    assertEquals(1, scan(ok, Kind.OTHER).references());
    assertEquals(List.of(), scan(ok, Kind.OTHER).findings());
    String bad = "/**\n * Checks (PROTOCOL.md\n * " + S + "7.7) first.\n */";
    assertEquals(
        List.of("F:3: '" + S + "7.7': docs/PROTOCOL.md has no heading for " + S + "7.7"),
        problems(bad, Kind.OTHER));
  }

  @Test
  void aBareSectionSignOutsideTheProtocolDocumentIsReported() {
    assertEquals(
        List.of("F:1: '" + S + "4.5': bare " + S + " reference: write 'PROTOCOL.md " + S + "4.5'"),
        problems("see " + S + "4.5", Kind.MARKDOWN));
  }

  @Test
  void insideTheProtocolDocumentBareReferencesAreItsCrossReferences() {
    Result r =
        scan("as " + S + "4.5 step 2 says, and " + S + "8.1 does not exist", Kind.PROTOCOL_DOC);
    assertEquals(2, r.references());
    assertEquals(1, r.findings().size());
    assertEquals(S + "8.1", r.findings().get(0).reference());
  }

  @Test
  void oldStyleReferencesAreReportedWhereverTheyAre() {
    String spec = "sp" + "ec";
    String section = "sec" + "tion";
    String text =
        String.join(
            "\n",
            "/** As " + spec + " 4.5 says. */",
            "// " + "Sp" + "ec 9.1: the configuration",
            "/** What the lattice expects (" + spec,
            " * 7.3). */",
            "Choices the protocol " + spec + " leaves open (its " + section + " 13)",
            "see " + spec + " " + section + " 8 and " + spec + " " + S + "7");
    List<Finding> f = scan(text, Kind.OTHER).findings();
    assertEquals(List.of(1, 2, 3, 5, 6, 6), f.stream().map(Finding::line).toList(), f::toString);
    assertTrue(f.stream().allMatch(x -> x.problem().startsWith("old-style reference")));
    assertEquals(spec + " 7.3", f.get(2).reference(), "the wrapped reference is shown on one line");
  }

  @Test
  void issueNumbersAreReportedInDocsOnly() {
    String text = "Targets from " + "is" + "sue 3 and (is" + "sue 5)";
    assertEquals(2, scan(text, Kind.MARKDOWN).findings().size());
    assertEquals(List.of(), scan(text, Kind.OTHER).findings());
  }

  @Test
  void wordsThatMerelyContainTheKeywordsPass() {
    String text =
        "{\"specversion\": \"1.0\"} inspect 3 keys; @Spec CommandSpec spec; section id 0; issues";
    assertEquals(List.of(), scan(text, Kind.MARKDOWN).findings());
  }
}
