package io.lockstep.domain;

import java.time.Instant;
import java.util.Map;

/**
 * Which digest runs for one (environment, template, region). {@code version} increases with every
 * change and lets replicas and clients tell a newer pin from an older one. {@code provenanceKind} is
 * what the last move recorded, null if it was made before kinds were recorded (see {@link #provenanceKindShown}).
 */
public record Pin(PinKey key, String digest, String imageRef, String gitSha, String runtimeVersion,
                  Instant promotedAt, String promotedBy, String notes, Map<String, String> provenance,
                  long version, ProvenanceKind provenanceKind) {
    public Pin {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }

    /** A pin whose last change recorded no provenance kind (moved before schema V6). */
    public Pin(PinKey key, String digest, String imageRef, String gitSha, String runtimeVersion, Instant promotedAt,
               String promotedBy, String notes, Map<String, String> provenance, long version) {
        this(key, digest, imageRef, gitSha, runtimeVersion, promotedAt, promotedBy, notes, provenance, version, null);
    }

    /** How far the provenance of the pin's last move can be trusted ({@link ProvenanceKind#of}). */
    public ProvenanceKind provenanceKindShown() {
        return ProvenanceKind.of(provenanceKind, provenance);
    }
}
