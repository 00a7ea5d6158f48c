package io.lockstep.service;

import io.lockstep.domain.PinKey;

import java.util.Optional;

/**
 * How far an upstream's fleet runs a digest, for {@code requires.min_converged}: of the live instances
 * whose pin is {@code upstreamPin} (its own region's, or the global one where a region has none), the
 * share (0 to 1) that report {@code digest}; empty when no live instance reports.
 */
@FunctionalInterface
public interface UpstreamFleet {
    Optional<Double> share(PinKey upstreamPin, String digest);

    UpstreamFleet NONE = (pin, digest) -> Optional.empty();
}
