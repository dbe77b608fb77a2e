package io.trellis.ctl;

/**
 * The outcome of {@link CtlClient#startActorAndWait}: instances of an actor are running.
 *
 * @param actorId the actor's public key (M…)
 * @param name the name from its claims
 * @param count how many instances this command started
 * @param event the event that completed the wait
 */
public record ActorStarted(
    String hostId,
    String actorId,
    String name,
    String imageRef,
    int count,
    LatticeEventMessage event) {}
