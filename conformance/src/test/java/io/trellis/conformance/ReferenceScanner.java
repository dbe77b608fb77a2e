package io.trellis.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds references to docs/PROTOCOL.md in one file's text and reports the ones that cannot be
 * resolved: a section, step or item the document does not have, a bare "§N" that does not say which
 * document it means, and the old ways of citing the protocol (the reference document that never was
 * in this repository, by number, and issue numbers in docs).
 *
 * <p>A reference may be wrapped across lines of a comment ({@code PROTOCOL.md} at the end of one
 * javadoc line, {@code §N.M} at the start of the next), because the formatter reflows javadoc.
 */
final class ReferenceScanner {
  /** One gap between words: blanks, or one line break with an optional comment leader. */
  private static final String GAP = "(?:[ \\t]*\\R[ \\t]*(?:\\*(?!/)|//+|#+|<!--)?[ \\t]*|[ \\t]+)";

  /** {@code §N.M}, {@code §N item K}, {@code §N.M steps K-L}. */
  private static final Pattern REF =
      Pattern.compile(
          "§[ \\t]?(\\d+(?:\\.\\d+)*)(?:"
              + GAP
              + "(?:items?|steps?)"
              + GAP
              + "(\\d+)(?:[ \\t]*[-–][ \\t]*(\\d+))?)?");

  private static final Pattern CHAIN_START = Pattern.compile("PROTOCOL\\.md" + GAP + "(?=§)");

  /** What may join further sections to a chain: "§A, §B", "§A–§B", "§A / §B", "§A and §B". */
  private static final Pattern CHAIN_NEXT =
      Pattern.compile(
          "(?:" + GAP + ")?(?:,|/|;|[-–]|" + GAP + "(?:and|or|to)\\b)(?:" + GAP + ")?(?=§)");

  private static final Pattern SECTION_SIGN = Pattern.compile("§[ \\t]?\\d");

  private static final Pattern OLD_SPEC =
      Pattern.compile(
          "\\bspec(?:ification)?"
              + GAP
              + "(?:section"
              + GAP
              + ")?(?:§[ \\t]?)?\\d+(?:\\.\\d+)*(?:"
              + GAP
              + "(?:items?|steps?)"
              + GAP
              + "\\d+)?",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern OLD_SECTION =
      Pattern.compile("\\bsection" + GAP + "\\d+(?:\\.\\d+)*", Pattern.CASE_INSENSITIVE);

  private static final Pattern ISSUE_NUMBER =
      Pattern.compile("\\bissues?" + GAP + "#?\\d+", Pattern.CASE_INSENSITIVE);

  private static final Pattern LINE_BREAK_WITH_LEADER =
      Pattern.compile("[ \\t]*\\R[ \\t]*(?:\\*(?!/)|//+|#+|<!--)?[ \\t]*");

  /** What a scan found: the unresolved references, and how many references were checked. */
  record Result(List<Finding> findings, int references) {}

  /** The kind of file decides which rules apply. */
  enum Kind {
    /** docs/PROTOCOL.md itself: bare "§N" are its cross-references and are checked as such. */
    PROTOCOL_DOC,
    MARKDOWN,
    OTHER
  }

  private final ProtocolIndex index;

  ReferenceScanner(ProtocolIndex index) {
    this.index = index;
  }

  Result scan(String file, String text, Kind kind) {
    Lines lines = new Lines(text);
    List<Finding> findings = new ArrayList<>();
    int references = 0;
    BitSet covered = new BitSet(text.length());
    if (kind == Kind.PROTOCOL_DOC) {
      Matcher m = REF.matcher(text);
      while (m.find()) {
        references++;
        check(file, lines, m, findings);
      }
    } else {
      Matcher start = CHAIN_START.matcher(text);
      while (start.find()) {
        int pos = start.end();
        Matcher ref = REF.matcher(text);
        Matcher next = CHAIN_NEXT.matcher(text);
        while (ref.region(pos, text.length()).lookingAt()) {
          references++;
          check(file, lines, ref, findings);
          covered.set(ref.start(), ref.end());
          pos = ref.end();
          if (!next.region(pos, text.length()).lookingAt()) {
            break;
          }
          pos = next.end();
        }
      }
    }
    BitSet reported = new BitSet(text.length());
    String old =
        "old-style reference to the protocol: cite docs/PROTOCOL.md as 'PROTOCOL.md §N'"
            + " with a section that exists there";
    oldStyle(file, text, lines, OLD_SPEC, reported, findings, old);
    oldStyle(file, text, lines, OLD_SECTION, reported, findings, old);
    if (kind != Kind.OTHER) {
      oldStyle(
          file,
          text,
          lines,
          ISSUE_NUMBER,
          reported,
          findings,
          "issue number: a reader cannot look it up; say what is meant instead");
    }
    if (kind != Kind.PROTOCOL_DOC) {
      Matcher bare = SECTION_SIGN.matcher(text);
      while (bare.find()) {
        if (!covered.get(bare.start()) && !reported.get(bare.start())) {
          Matcher ref = REF.matcher(text).region(bare.start(), text.length());
          String shown = ref.lookingAt() ? ref.group() : bare.group();
          findings.add(
              finding(
                  file,
                  lines,
                  bare.start(),
                  shown,
                  "bare § reference: write 'PROTOCOL.md " + flat(shown) + "'"));
        }
      }
    }
    findings.sort(null);
    return new Result(List.copyOf(findings), references);
  }

  private void check(String file, Lines lines, Matcher ref, List<Finding> findings) {
    String section = ref.group(1);
    if (!index.hasSection(section)) {
      findings.add(
          finding(
              file,
              lines,
              ref.start(),
              ref.group(),
              "docs/PROTOCOL.md has no heading for §" + section));
      return;
    }
    for (int g = 2; g <= 3; g++) {
      String entry = ref.group(g);
      if (entry != null && !index.hasEntry(section, Integer.parseInt(entry))) {
        findings.add(
            finding(
                file,
                lines,
                ref.start(),
                ref.group(),
                "§" + section + " of docs/PROTOCOL.md has no numbered entry " + entry));
      }
    }
  }

  /** Reports each match that does not start inside one already reported (and marks it). */
  private static void oldStyle(
      String file,
      String text,
      Lines lines,
      Pattern pattern,
      BitSet reported,
      List<Finding> findings,
      String problem) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      if (reported.get(m.start())) {
        continue;
      }
      reported.set(m.start(), m.end());
      findings.add(finding(file, lines, m.start(), m.group(), problem));
    }
  }

  private static Finding finding(String file, Lines lines, int offset, String text, String why) {
    return new Finding(file, lines.lineOf(offset), flat(text), why);
  }

  /** The reference as one line, comment leaders of wrapped lines removed. */
  private static String flat(String s) {
    return LINE_BREAK_WITH_LEADER.matcher(s).replaceAll(" ");
  }

  /** Offsets of line starts, for 1-based line numbers. */
  private static final class Lines {
    private final int[] starts;

    Lines(String text) {
      int[] s = new int[16];
      int n = 0;
      s[n++] = 0;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          if (n == s.length) {
            s = Arrays.copyOf(s, n * 2);
          }
          s[n++] = i + 1;
        }
      }
      starts = Arrays.copyOf(s, n);
    }

    int lineOf(int offset) {
      int i = Arrays.binarySearch(starts, offset);
      return i >= 0 ? i + 1 : -i - 1;
    }
  }
}
