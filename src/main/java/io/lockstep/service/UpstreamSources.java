package io.lockstep.service;

/**
 * What the promotion gate learns about an environment's {@code requires} upstream from outside this store's
 * write transaction: the pins of a remote upstream (on another server) and the upstream fleet's reports. Both
 * are read just before the transaction, like the image check, so slow I/O never holds the write lock.
 */
public record UpstreamSources(UpstreamPins remotePins, UpstreamFleet fleet) {
    public static final UpstreamSources NONE = new UpstreamSources(UpstreamPins.NONE, UpstreamFleet.NONE);
}
