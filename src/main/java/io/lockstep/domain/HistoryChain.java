package io.lockstep.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tamper-evident hash chain over the history. Each entry's hash covers its own fields and the
 * previous entry's hash; verification recomputes every hash in sequence order.
 */
public final class HistoryChain {
    public static final String GENESIS = "0".repeat(64);

    private HistoryChain() {
    }

    public static String hash(String prevHash, long seq, PinKey key, String fromDigest, String toDigest, String gitSha,
                              String runtimeVersion, String notes, String promotedBy, Map<String, String> provenance,
                              Action action, java.time.Instant at, String releaseId) {
        // Length-prefixed fields: no two different entries can serialise to the same bytes.
        StringBuilder canonical = new StringBuilder();
        for (Object field : new Object[]{prevHash, seq, key.environment(), key.template(), key.region(), fromDigest,
                toDigest, gitSha, runtimeVersion, notes, promotedBy, new TreeMap<>(provenance).toString(),
                action.wire(), at.toEpochMilli(), releaseId}) {
            String s = field == null ? "\u0000" : field.toString();
            canonical.append(s.length()).append(':').append(s).append('|');
        }
        return sha256(canonical.toString());
    }

    public static String hashOf(HistoryEntry e) {
        return hash(e.prevHash(), e.seq(), e.key(), e.fromDigest(), e.toDigest(), e.gitSha(), e.runtimeVersion(),
                e.notes(), e.promotedBy(), e.provenance(), e.action(), e.at(), e.releaseId());
    }

    /** Result of a verification: where the chain broke, if it did. */
    public record Verification(boolean valid, long entries, Long brokenAtSeq, String reason) {
    }

    /** Verifies entries given in ascending {@code seq} order, starting from the genesis hash. */
    public static Verification verify(List<HistoryEntry> entriesInOrder) {
        Verifier v = new Verifier();
        entriesInOrder.forEach(v::accept);
        return v.result();
    }

    /**
     * Verifies a chain fed one entry at a time in ascending {@code seq} order, so a store can
     * stream its whole history through it without holding it in memory. Reports the first break
     * and counts every entry.
     */
    public static final class Verifier {
        private String prev = GENESIS;
        private long entries;
        private Long brokenAtSeq;
        private String reason;

        public void accept(HistoryEntry e) {
            entries++;
            if (brokenAtSeq != null) {
                return;
            }
            if (!prev.equals(e.prevHash())) {
                brokenAtSeq = e.seq();
                reason = "entry " + e.seq() + " does not link to the entry before it (a row was removed or reordered)";
            } else if (!hashOf(e).equals(e.hash())) {
                brokenAtSeq = e.seq();
                reason = "entry " + e.seq() + " does not match its hash (the row was modified)";
            }
            prev = e.hash();
        }

        public Verification result() {
            return new Verification(brokenAtSeq == null, entries, brokenAtSeq, reason);
        }
    }

    public static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
