package io.trellis.cli.support;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, like wash prints. */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "" : c.toString());
    }
    rows.add(r);
    return this;
  }

  public void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], i < r.size() ? r.get(i).length() : 0);
      }
    }
    printRow(out, headers, widths);
    for (List<String> r : rows) {
      printRow(out, r, widths);
    }
    out.flush();
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      String c = i < cells.size() ? cells.get(i) : "";
      sb.append(c);
      if (i < widths.length - 1) {
        sb.append(" ".repeat(widths[i] - c.length() + 2));
      }
    }
    out.println(sb.toString().stripTrailing());
  }

  /** A two-column "field: value" listing. */
  public static void keyValues(PrintWriter out, List<String[]> pairs) {
    int w = pairs.stream().mapToInt(p -> p[0].length()).max().orElse(0);
    for (String[] p : pairs) {
      out.println(p[0] + " ".repeat(w - p[0].length() + 2) + (p[1] == null ? "" : p[1]));
    }
    out.flush();
  }
}
