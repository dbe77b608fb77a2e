package io.trellis.apps.api;

import io.trellis.apps.ManifestProblem;
import io.trellis.wasmbus.LatticeException;
import java.util.List;

/**
 * The application API refused a request or could not be reached; the message says which and why,
 * and {@link #problems()} lists a refused manifest's problems.
 */
public final class AppsApiException extends LatticeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ManifestProblem> problems;
  private final boolean notFound;

  AppsApiException(String message, List<ManifestProblem> problems, boolean notFound) {
    super(message);
    this.problems = List.copyOf(problems);
    this.notFound = notFound;
  }

  public List<ManifestProblem> problems() {
    return problems;
  }

  /** True when the answer was {@code notfound}. */
  public boolean notFound() {
    return notFound;
  }
}
