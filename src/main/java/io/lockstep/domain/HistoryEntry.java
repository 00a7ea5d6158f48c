package io.lockstep.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One promotion, recorded forever. {@code seq} orders all entries of a store; {@code hash} is
 * SHA-256 over this entry's fields and {@code prevHash}, so editing or deleting any row breaks the
 * chain (see {@link HistoryChain}).
 */
public record HistoryEntry(long seq, PinKey key, String fromDigest, String toDigest, String gitSha,
                           String runtimeVersion, String notes, String promotedBy,
                           Map<String, String> provenance, Action action, Instant at, String releaseId,
                           String prevHash, String hash) {
    public HistoryEntry {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }
}
