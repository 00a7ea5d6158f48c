package io.lockstep.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One change of a pin as the service decided it: where it moves from and to, who moved it, why and
 * when. The history records it ({@link HistoryChain#link}) and the pin becomes what it says
 * ({@link #pin}), so the two cannot disagree. An {@link Action#EXCLUDE} records that a release left
 * the pin where it was ({@code fromDigest} equals {@code toDigest}). Every new change records its
 * {@link ProvenanceKind} (verified, declared or none).
 */
public record PinChange(PinKey key, String fromDigest, String toDigest, String gitSha, String runtimeVersion,
                        String notes, String promotedBy, Map<String, String> provenance, Action action, Instant at,
                        String releaseId, ProvenanceKind provenanceKind, String overrideReason,
                        java.util.List<String> overrode) {
    public PinChange {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        provenanceKind = provenanceKind == null ? ProvenanceKind.of(null, provenance) : provenanceKind;
        overrode = overrideReason == null ? null : overrode == null ? java.util.List.of() : java.util.List.copyOf(overrode);
    }

    /** A change made without a break-glass override. */
    public PinChange(PinKey key, String fromDigest, String toDigest, String gitSha, String runtimeVersion, String notes,
                     String promotedBy, Map<String, String> provenance, Action action, Instant at, String releaseId,
                     ProvenanceKind provenanceKind) {
        this(key, fromDigest, toDigest, gitSha, runtimeVersion, notes, promotedBy, provenance, action, at, releaseId,
                provenanceKind, null, null);
    }

    /** The same change made under an admin's override {@code reason} (null: none), which lifted {@code overrode}. */
    public PinChange overriding(String reason, java.util.List<String> overrode) {
        return new PinChange(key, fromDigest, toDigest, gitSha, runtimeVersion, notes, promotedBy, provenance, action,
                at, releaseId, provenanceKind, reason, overrode);
    }

    /** A change whose kind follows from its provenance alone: declared if it has any, none if not. */
    public PinChange(PinKey key, String fromDigest, String toDigest, String gitSha, String runtimeVersion, String notes,
                     String promotedBy, Map<String, String> provenance, Action action, Instant at, String releaseId) {
        this(key, fromDigest, toDigest, gitSha, runtimeVersion, notes, promotedBy, provenance, action, at, releaseId, null);
    }

    /**
     * The pin after this change. The history verifier holds every pin to exactly these fields of its
     * last entry, so a pin is only ever built from the change that its entry records.
     */
    public Pin pin(String imageRef, long version) {
        if (action == Action.EXCLUDE) {
            throw new IllegalStateException("an exclusion leaves the pin " + key + " where it was");
        }
        return new Pin(key, toDigest, imageRef, gitSha, runtimeVersion, at, promotedBy, notes, provenance, version,
                provenanceKind);
    }
}
