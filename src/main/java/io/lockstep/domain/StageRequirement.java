package io.lockstep.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code requires: {upstream, soak, min_converged}} of an environment: what enters it must have been the
 * current pin in the local environment {@code upstream} for at least {@code soak} (see {@link PromotionGate}),
 * and, when {@code minConverged} is set, be what at least that share (0 to 1) of the upstream's live
 * instances report running. A zero soak still asks that the upstream runs it now.
 */
public record StageRequirement(String upstream, Duration soak, Double minConverged) {
    public StageRequirement {
        Objects.requireNonNull(upstream, "upstream");
        soak = soak == null ? Duration.ZERO : soak;
        if (soak.isNegative()) {
            throw new IllegalArgumentException("soak must not be negative");
        }
        if (minConverged != null && !(minConverged > 0 && minConverged <= 1)) {
            throw new IllegalArgumentException("min_converged must be above 0 and at most 1");
        }
    }

    public StageRequirement(String upstream, Duration soak) {
        this(upstream, soak, null);
    }
}
