package io.lockstep.domain;

import java.time.Instant;
import java.util.Map;

/**
 * Which digest runs for one (environment, template, region). {@code version} increases with every
 * change and lets replicas and clients tell a newer pin from an older one.
 */
public record Pin(PinKey key, String digest, String imageRef, String gitSha, String runtimeVersion,
                  Instant promotedAt, String promotedBy, String notes, Map<String, String> provenance,
                  long version) {
    public Pin {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }
}
