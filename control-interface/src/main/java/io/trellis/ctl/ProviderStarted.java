package io.trellis.ctl;

/**
 * The outcome of {@link CtlClient#startProviderAndWait}: a provider process is running.
 *
 * @param providerId the provider's public key (V…)
 * @param event the {@code provider_started} event
 */
public record ProviderStarted(
    String hostId,
    String providerId,
    String name,
    String imageRef,
    String linkName,
    String contractId,
    LatticeEventMessage event) {}
