package io.trellis.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbered sections of docs/PROTOCOL.md and the numbered list entries (steps, items) under
 * each: what a reference such as "PROTOCOL.md §4.5 step 7" may point to.
 *
 * <p>A section is a Markdown heading whose text starts with its number ({@code ## 4. RPC…}, {@code
 * ### 4.5 Validation…}). Its entries are the unindented {@code N. …} lines between that heading and
 * the next heading of any level.
 */
record ProtocolIndex(Map<String, Set<Integer>> sections) {
  private static final Pattern HEADING =
      Pattern.compile("^#{1,6}[ \\t]+(\\d+(?:\\.\\d+)*)\\.?[ \\t]");
  private static final Pattern ANY_HEADING = Pattern.compile("^#{1,6}[ \\t]");
  private static final Pattern ENTRY = Pattern.compile("^(\\d+)\\.[ \\t]");

  static ProtocolIndex read(Path protocolMd) {
    try {
      return parse(Files.readString(protocolMd, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + protocolMd, e);
    }
  }

  static ProtocolIndex parse(String markdown) {
    Map<String, Set<Integer>> sections = new LinkedHashMap<>();
    Set<Integer> current = null;
    boolean inFence = false;
    for (String line : markdown.split("\\R", -1)) {
      if (line.startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      Matcher h = HEADING.matcher(line);
      if (h.find()) {
        current = sections.computeIfAbsent(h.group(1), k -> new TreeSet<>());
        continue;
      }
      if (ANY_HEADING.matcher(line).find()) {
        current = null;
        continue;
      }
      Matcher e = ENTRY.matcher(line);
      if (current != null && e.find()) {
        current.add(Integer.parseInt(e.group(1)));
      }
    }
    return new ProtocolIndex(Map.copyOf(sections));
  }

  boolean hasSection(String number) {
    return sections.containsKey(number);
  }

  boolean hasEntry(String section, int entry) {
    Set<Integer> entries = sections.get(section);
    return entries != null && entries.contains(entry);
  }
}
