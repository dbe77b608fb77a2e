package io.trellis.host.ctl;

import io.trellis.oci.ArtifactKind;
import io.trellis.wasmbus.LatticeException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting from a reference, after the caller has been answered: fetch, then start, with every
 * failure published as a start-failed event and logged. Shared by the control commands and the
 * config service's auto-starts.
 */
final class ArtifactStarts {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactStarts.class);

  private final ControlledHost host;
  private final ArtifactFetcher fetcher;

  ArtifactStarts(ControlledHost host, ArtifactFetcher fetcher) {
    this.host = host;
    this.fetcher = fetcher;
  }

  /** Fetches and starts an actor; false when it did not start (already reported). */
  boolean actor(String ref, int count, Map<String, String> annotations) {
    try {
      byte[] bytes = fetcher.fetch(ref, ArtifactKind.ACTOR);
      host.actors().start(bytes, ref, count, annotations);
      return true;
    } catch (LatticeException e) {
      // start() already published actor_start_failed for load errors; fetch errors need one here.
      if (e instanceof ArtifactException) {
        host.actors().startFailed(ref, annotations, e.getMessage());
      }
      LOG.warn("starting actor from {} failed: {}", ref, e.getMessage());
      return false;
    }
  }

  /** Fetches and starts a provider; false when it did not start (already reported). */
  boolean provider(
      String ref, String linkName, String configuration, Map<String, String> annotations) {
    byte[] par;
    try {
      par = fetcher.fetch(ref, ArtifactKind.PROVIDER);
    } catch (LatticeException e) {
      host.providers().startFailed(ref, linkName, e.getMessage());
      LOG.warn("fetching provider {} failed: {}", ref, e.getMessage());
      return false;
    }
    try {
      host.providers().start(par, ref, linkName, configuration, annotations);
      return true;
    } catch (LatticeException e) {
      // start() has already published provider_start_failed
      LOG.warn("starting provider from {} failed: {}", ref, e.getMessage());
      return false;
    }
  }
}
