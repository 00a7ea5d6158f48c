package io.lockstep.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A freeze window of an environment's policy as last told (observed events, issue 13): whether it was open, and
 * the occurrence told, so each occurrence's {@code freeze.started} and {@code freeze.lifted} are told once.
 *
 * @param since start of the occurrence last told (null before any)
 * @param until end of that occurrence
 */
public record FreezeState(String environment, String window, boolean active, Instant since, Instant until,
                          Instant changedAt) {
    public FreezeState {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    /** What a state is kept under: one row per window of an environment. */
    public record Key(String environment, String window) {
    }

    public Key key() {
        return new Key(environment, window);
    }
}
