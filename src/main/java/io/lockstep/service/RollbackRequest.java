package io.lockstep.service;

import io.lockstep.domain.Environment;

import java.util.Map;

/**
 * A request to move a pin back: to the digest it had before its current one, or to {@code toDigest}
 * (null for "the previous one"), which must appear in the pin's history. {@code provenance} is as
 * received (validated by {@link PinService}, once).
 */
public record RollbackRequest(Environment environment, String template, String region, String toDigest,
                              String notes, Map<String, ?> provenance, String override) {

    /** A rollback without a break-glass override ({@code override}: an admin's reason, checked by the adapter). */
    public RollbackRequest(Environment environment, String template, String region, String toDigest, String notes,
                           Map<String, ?> provenance) {
        this(environment, template, region, toDigest, notes, provenance, null);
    }

    /** A rollback that declares no provenance. */
    public RollbackRequest(Environment environment, String template, String region, String toDigest, String notes) {
        this(environment, template, region, toDigest, notes, null);
    }
}
