package io.trellis.cli.ctl;

/** No host answered an auction: nothing matched the constraints, or no host runs at all. */
final class NoBidsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NoBidsException(String message) {
    super(message);
  }
}
