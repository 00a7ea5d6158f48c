package io.lockstep.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code requires: {upstream, soak}} of an environment: what enters it must have been the current
 * pin in the local environment {@code upstream} for at least {@code soak} (see {@link PromotionGate}).
 * A zero soak still asks that the upstream runs it now.
 */
public record StageRequirement(String upstream, Duration soak) {
    public StageRequirement {
        Objects.requireNonNull(upstream, "upstream");
        soak = soak == null ? Duration.ZERO : soak;
        if (soak.isNegative()) {
            throw new IllegalArgumentException("soak must not be negative");
        }
    }
}
