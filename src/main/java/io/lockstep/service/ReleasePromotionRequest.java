package io.lockstep.service;

import io.lockstep.domain.Environment;

import java.util.Map;

/**
 * A request to promote every image of a registered release into one resolved environment.
 * {@code provenance} is as received (validated by {@link PinService}, once).
 */
public record ReleasePromotionRequest(Environment environment, String releaseId, String region, String notes,
                                      Map<String, ?> provenance, String override) {

    /** A release promote without a break-glass override ({@code override}: an admin's reason, checked by the adapter). */
    public ReleasePromotionRequest(Environment environment, String releaseId, String region, String notes,
                                   Map<String, ?> provenance) {
        this(environment, releaseId, region, notes, provenance, null);
    }
}
