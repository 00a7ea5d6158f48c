package io.lockstep.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One promotion, recorded forever. {@code seq} orders all entries of a store; {@code hash} is
 * SHA-256 over this entry's fields and {@code prevHash}, so editing or deleting any row breaks the
 * chain (see {@link HistoryChain}). {@code provenanceKind} is null on entries written before schema V6;
 * on every later entry the hash covers it, so it cannot be flipped from declared to verified.
 */
public record HistoryEntry(long seq, PinKey key, String fromDigest, String toDigest, String gitSha,
                           String runtimeVersion, String notes, String promotedBy,
                           Map<String, String> provenance, Action action, Instant at, String releaseId,
                           String prevHash, String hash, ProvenanceKind provenanceKind) {
    public HistoryEntry {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }

    /** An entry written before schema V6, which recorded no provenance kind (its hash does not cover one). */
    public HistoryEntry(long seq, PinKey key, String fromDigest, String toDigest, String gitSha, String runtimeVersion,
                        String notes, String promotedBy, Map<String, String> provenance, Action action, Instant at,
                        String releaseId, String prevHash, String hash) {
        this(seq, key, fromDigest, toDigest, gitSha, runtimeVersion, notes, promotedBy, provenance, action, at,
                releaseId, prevHash, hash, null);
    }

    /** How far this entry's provenance can be trusted ({@link ProvenanceKind#of}). */
    public ProvenanceKind provenanceKindShown() {
        return ProvenanceKind.of(provenanceKind, provenance);
    }
}
