package io.lockstep.service;

import io.lockstep.domain.Environment;

import java.util.Map;

/**
 * A request to move one pin, as received from any adapter, into an environment the adapter already
 * resolved (and checked the caller may act on). {@code provenance} was validated by the adapter
 * ({@code Provenance.validate}, once) or is null/empty; the other fields are validated by {@link PinService}.
 */
public record PromotionRequest(Environment environment, String template, String region, String digest, String gitSha,
                               String runtimeVersion, String notes, String expectedDigest,
                               Map<String, String> provenance, String override) {

    /** A promote without a break-glass override ({@code override}: an admin's reason, checked by the adapter). */
    public PromotionRequest(Environment environment, String template, String region, String digest, String gitSha,
                            String runtimeVersion, String notes, String expectedDigest, Map<String, String> provenance) {
        this(environment, template, region, digest, gitSha, runtimeVersion, notes, expectedDigest, provenance, null);
    }

    public PromotionRequest overriding(String reason) {
        return new PromotionRequest(environment, template, region, digest, gitSha, runtimeVersion, notes, expectedDigest,
                provenance, reason);
    }
}
