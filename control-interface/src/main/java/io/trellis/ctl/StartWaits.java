package io.trellis.ctl;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Matches the events that report the outcome of one start command (PROTOCOL.md §8.5) and waits for
 * the decisive one. Hosts before v0.63.1 send only per-instance {@code actor_started} events, so an
 * actor start also completes after {@code count} of those.
 */
final class StartWaits {
  private static final String HINT =
      " (the host accepted the command; 'trellis ctl watch' shows what it does)";

  private StartWaits() {}

  static boolean isActorStartEvent(LatticeEventMessage e, String hostId, String ref) {
    if (!hostId.equals(e.source())) {
      return false;
    }
    return switch (e.type()) {
      case "actor_started", "actors_started", "actors_start_failed" ->
          ref.equals(e.text("image_ref"));
      case "actor_start_failed" -> ref.equals(e.text("actor_ref"));
      default -> false;
    };
  }

  static boolean isProviderStartEvent(
      LatticeEventMessage e, String hostId, String ref, String linkName) {
    if (!hostId.equals(e.source()) || !linkName.equals(e.text("link_name"))) {
      return false;
    }
    return switch (e.type()) {
      // a provider started by key is reported under the image ref the host resolved it to
      case "provider_started" ->
          ref.equals(e.text("image_ref")) || ref.equals(e.text("public_key"));
      case "provider_start_failed" -> ref.equals(e.text("provider_ref"));
      default -> false;
    };
  }

  static ActorStarted awaitActor(
      EventWaiter w,
      String hostId,
      String ref,
      int count,
      Duration wait,
      Consumer<LatticeEventMessage> progress) {
    long deadline = System.nanoTime() + wait.toNanos();
    int instances = 0;
    while (true) {
      LatticeEventMessage e =
          next(w, deadline)
              .orElseThrow(
                  () ->
                      new CtlTimeoutException(
                          "actor "
                              + ref
                              + " did not report started or failed on host "
                              + hostId
                              + " within "
                              + wait.toMillis()
                              + " ms"
                              + HINT));
      progress.accept(e);
      switch (e.type()) {
        case "actors_started" -> {
          return actorResult(hostId, ref, e, e.data().path("count").asInt(count));
        }
        case "actor_started" -> {
          if (++instances >= count) {
            return actorResult(hostId, ref, e, instances);
          }
        }
        default -> throw new StartFailedException(hostId, ref, e.text("error"), e);
      }
    }
  }

  private static ActorStarted actorResult(
      String hostId, String ref, LatticeEventMessage e, int count) {
    return new ActorStarted(
        hostId, e.text("public_key"), e.at("/claims/name").asText(""), ref, count, e);
  }

  static ProviderStarted awaitProvider(
      EventWaiter w,
      String hostId,
      String ref,
      String linkName,
      Duration wait,
      Consumer<LatticeEventMessage> progress) {
    long deadline = System.nanoTime() + wait.toNanos();
    LatticeEventMessage e =
        next(w, deadline)
            .orElseThrow(
                () ->
                    new CtlTimeoutException(
                        "provider "
                            + ref
                            + " (link name '"
                            + linkName
                            + "') did not report started or failed on host "
                            + hostId
                            + " within "
                            + wait.toMillis()
                            + " ms"
                            + HINT));
    progress.accept(e);
    if (!e.type().equals("provider_started")) {
      throw new StartFailedException(hostId, ref, e.text("error"), e);
    }
    return new ProviderStarted(
        hostId,
        e.text("public_key"),
        e.at("/claims/name").asText(""),
        e.text("image_ref"),
        e.text("link_name"),
        e.text("contract_id"),
        e);
  }

  private static Optional<LatticeEventMessage> next(EventWaiter w, long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    return left <= 0 ? Optional.empty() : w.next(Duration.ofNanos(left));
  }
}
