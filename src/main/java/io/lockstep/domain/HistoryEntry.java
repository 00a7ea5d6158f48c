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
                           String prevHash, String hash, ProvenanceKind provenanceKind, String overrideReason,
                           java.util.List<String> overrode) {
    public HistoryEntry {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        overrode = overrode == null ? null : java.util.List.copyOf(overrode);
    }

    /**
     * An entry without a break-glass override ({@code overrideReason} and {@code overrode} null; since schema
     * V10 an override's entry records its reason and the refusal codes it overrode, and its hash covers both).
     */
    public HistoryEntry(long seq, PinKey key, String fromDigest, String toDigest, String gitSha, String runtimeVersion,
                        String notes, String promotedBy, Map<String, String> provenance, Action action, Instant at,
                        String releaseId, String prevHash, String hash, ProvenanceKind provenanceKind) {
        this(seq, key, fromDigest, toDigest, gitSha, runtimeVersion, notes, promotedBy, provenance, action, at,
                releaseId, prevHash, hash, provenanceKind, null, null);
    }

    /** The {@code overrode} column: comma-separated codes, null when there was no override. */
    public String overrodeColumn() {
        return overrode == null ? null : String.join(",", overrode);
    }

    public static java.util.List<String> overrodeFromColumn(String column) {
        return column == null ? null : column.isEmpty() ? java.util.List.of() : java.util.List.of(column.split(","));
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
