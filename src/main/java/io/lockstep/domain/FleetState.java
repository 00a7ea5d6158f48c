package io.lockstep.domain;

import java.time.Instant;

/**
 * Whether the fleet of one (environment, template, instance region) ran {@code digest} on at least the
 * configured share, as last told in a {@code fleet.converged} / {@code fleet.regressed} event (or
 * recorded silently when first seen or when the pin moved to {@code digest}).
 */
public record FleetState(PinKey key, String digest, boolean converged, Instant changedAt) {
}
