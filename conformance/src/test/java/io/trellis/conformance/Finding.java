package io.trellis.conformance;

import java.util.Comparator;

/** A reference that cannot be resolved, where it is, and why. */
record Finding(String file, int line, String reference, String problem)
    implements Comparable<Finding> {
  private static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::file).thenComparingInt(Finding::line);

  @Override
  public int compareTo(Finding other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return file + ":" + line + ": '" + reference + "': " + problem;
  }
}
