package io.trellis.apps;

import io.trellis.wasmbus.LatticeException;
import java.util.List;
import java.util.stream.Collectors;

/** A manifest that cannot be stored; {@link #problems()} names every problem with its path. */
public final class InvalidManifestException extends LatticeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ManifestProblem> problems;

  public InvalidManifestException(List<ManifestProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public List<ManifestProblem> problems() {
    return problems;
  }

  static String describe(List<ManifestProblem> problems) {
    String header =
        problems.size() == 1
            ? "invalid manifest: 1 problem"
            : "invalid manifest: " + problems.size() + " problems";
    return header + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
  }
}
