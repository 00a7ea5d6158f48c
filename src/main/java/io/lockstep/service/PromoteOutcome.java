package io.lockstep.service;

import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;

/**
 * What a promote did to one pin. {@code previousDigest} is null when the pin was created;
 * {@code entry} is null when nothing changed.
 */
public record PromoteOutcome(Result result, Pin pin, String previousDigest, HistoryEntry entry) {
    public enum Result {
        CREATED, UPDATED, UNCHANGED, EXCLUDED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
