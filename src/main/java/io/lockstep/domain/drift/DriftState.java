package io.lockstep.domain.drift;

import io.lockstep.domain.PinKey;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The drift of a pin as last told in a {@code drift.changed} event (or recorded silently the first
 * time the pin was seen): what a later computation is compared with.
 */
public record DriftState(PinKey key, DriftStatus status, Set<DriftStatus> flags, String explanation,
                         Instant changedAt) {
    public DriftState {
        flags = flags == null || flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    /** The status and flags together, as one set (what a transition compares). */
    public Set<DriftStatus> all() {
        Set<DriftStatus> out = EnumSet.of(status);
        out.addAll(flags);
        return out;
    }

    /** Whether {@code s} applies, as primary status or flag. */
    public boolean has(DriftStatus s) {
        return status == s || flags.contains(s);
    }
}
