package io.lockstep.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The tamper-evident hash chain over the history. Each entry's hash covers its own fields and the
 * previous entry's hash; verification recomputes every hash in sequence order. Rows removed from
 * the end leave no broken link, so the chain is also anchored twice: a head (last seq and hash)
 * stored apart from the rows, and every pin's current state, which must be what its last entry
 * recorded.
 */
public final class HistoryChain {
    public static final String GENESIS = "0".repeat(64);

    /**
     * One hashed field, named as its history column; the hash covers them in this order. A field added
     * after entries already existed is {@code omittedWhenAbsent}: an entry written before it has no
     * value and its hash stays what it was, while every later entry has one and its hash covers it.
     */
    public record Field(String name, Function<HistoryEntry, Object> value, boolean omittedWhenAbsent) {
        public Field(String name, Function<HistoryEntry, Object> value) {
            this(name, value, false);
        }
    }

    /** Everything the hash covers. Tests generate one tamper case per field from this list. */
    public static final List<Field> HASHED_FIELDS = List.of(
            new Field("prev_hash", HistoryEntry::prevHash),
            new Field("seq", HistoryEntry::seq),
            new Field("environment", e -> e.key().environment()),
            new Field("template", e -> e.key().template()),
            new Field("region", e -> e.key().region()),
            new Field("from_digest", HistoryEntry::fromDigest),
            new Field("to_digest", HistoryEntry::toDigest),
            new Field("git_sha", HistoryEntry::gitSha),
            new Field("runtime_version", HistoryEntry::runtimeVersion),
            new Field("notes", HistoryEntry::notes),
            new Field("promoted_by", HistoryEntry::promotedBy),
            new Field("provenance", e -> new TreeMap<>(e.provenance()).toString()),
            new Field("action", e -> e.action().wire()),
            new Field("at", e -> e.at().toEpochMilli()),
            new Field("release_id", HistoryEntry::releaseId),
            // Since schema V6: null only on older entries; setting it to null or another word breaks the hash.
            new Field("provenance_kind", e -> e.provenanceKind() == null ? null : e.provenanceKind().wire(), true),
            // Since schema V10, only on entries of a break-glass override: older and ordinary entries hash as before.
            new Field("override_reason", HistoryEntry::overrideReason, true),
            new Field("overrode", HistoryEntry::overrodeColumn, true));

    private HistoryChain() {
    }

    /**
     * The entry that records {@code change} as the next link after {@code previous}: the next seq,
     * the previous hash, and its own hash over both. Linking to the head, not to the last row, keeps a
     * truncation visible after later appends.
     */
    public static HistoryEntry link(Head previous, PinChange change) {
        HistoryEntry unhashed = entry(previous, change, null);
        return entry(previous, change, hashOf(unhashed));
    }

    private static HistoryEntry entry(Head previous, PinChange c, String hash) {
        return new HistoryEntry(previous.seq() + 1, c.key(), c.fromDigest(), c.toDigest(), c.gitSha(),
                c.runtimeVersion(), c.notes(), c.promotedBy(), c.provenance(), c.action(), c.at(), c.releaseId(),
                previous.hash(), hash, c.provenanceKind(), c.overrideReason(), c.overrode());
    }

    public static String hashOf(HistoryEntry e) {
        // Length-prefixed fields: no two different entries can serialise to the same bytes.
        StringBuilder canonical = new StringBuilder();
        for (Field field : HASHED_FIELDS) {
            Object value = field.value().apply(e);
            if (value == null && field.omittedWhenAbsent()) {
                continue;
            }
            String s = value == null ? "\u0000" : value.toString();
            canonical.append(s.length()).append(':').append(s).append('|');
        }
        return sha256(canonical.toString());
    }

    /** The newest entry's seq and hash, kept apart from the rows (seq 0 and {@link #GENESIS} when empty). */
    public record Head(long seq, String hash) {
        public static final Head EMPTY = new Head(0, GENESIS);
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
        private long lastSeq;
        private long entries;
        private Long brokenAtSeq;
        private String reason;
        /** Each pin's newest entry that moved it (exclusions leave the pin where it was). */
        private final Map<PinKey, HistoryEntry> lastMove = new HashMap<>();

        public void accept(HistoryEntry e) {
            entries++;
            if (e.action() != Action.EXCLUDE) {
                lastMove.put(e.key(), e);
            }
            if (brokenAtSeq != null) {
                return;
            }
            if (!prev.equals(e.prevHash())) {
                broken(e.seq(), "entry " + e.seq() + " does not link to the entry before it (a row was removed or reordered)");
            } else if (!hashOf(e).equals(e.hash())) {
                broken(e.seq(), "entry " + e.seq() + " does not match its hash (the row was modified)");
            }
            prev = e.hash();
            lastSeq = e.seq();
        }

        private void broken(long seq, String why) {
            brokenAtSeq = seq;
            reason = why;
        }

        /** The rows' verdict alone. */
        public Verification result() {
            return new Verification(brokenAtSeq == null, entries, brokenAtSeq, reason);
        }

        /**
         * The rows' verdict, then the anchors: the head must name the last row, and every pin must
         * be exactly what its last entry recorded. Either catches rows deleted from the end.
         */
        public Verification result(Optional<Head> head, Collection<Pin> pins) {
            if (brokenAtSeq == null) {
                checkHead(head);
            }
            if (brokenAtSeq == null) {
                pins.stream().sorted(java.util.Comparator.comparing(p -> p.key().toString()))
                        .forEach(this::checkPin);
            }
            return result();
        }

        private void checkHead(Optional<Head> maybeHead) {
            if (maybeHead.isEmpty()) {
                broken(lastSeq + 1, "the history head is missing (it was deleted outside Lockstep)");
                return;
            }
            Head head = maybeHead.get();
            if (head.seq() > lastSeq) {
                broken(lastSeq + 1, "entries " + (lastSeq + 1) + " to " + head.seq() + " are missing: the history head"
                        + " records seq " + head.seq() + " but the last row is " + lastSeq + " (rows were removed from the end)");
            } else if (head.seq() < lastSeq) {
                broken(head.seq() + 1, "entries after " + head.seq() + " were added outside Lockstep: the history head"
                        + " records seq " + head.seq() + " but the last row is " + lastSeq);
            } else if (!head.hash().equals(prev)) {
                broken(lastSeq, "entry " + lastSeq + " is not the entry the history head records (the row was replaced)");
            }
        }

        private void checkPin(Pin pin) {
            if (brokenAtSeq != null) {
                return;
            }
            HistoryEntry last = lastMove.get(pin.key());
            if (last == null) {
                broken(lastSeq + 1, "pin " + pin.key() + " has no history entry (its history was removed)");
            } else if (!matches(pin, last)) {
                broken(last.seq(), "pin " + pin.key() + " is at " + pin.digest() + " (promoted " + pin.promotedAt()
                        + " by " + pin.promotedBy() + ") but its last history entry, " + last.seq() + ", moved it to "
                        + last.toDigest() + " (later entries were removed, or the pin was changed outside Lockstep)");
            }
        }

        private static boolean matches(Pin pin, HistoryEntry e) {
            return Objects.equals(pin.digest(), e.toDigest()) && Objects.equals(pin.gitSha(), e.gitSha())
                    && Objects.equals(pin.runtimeVersion(), e.runtimeVersion())
                    && Objects.equals(pin.promotedAt(), e.at()) && Objects.equals(pin.promotedBy(), e.promotedBy())
                    && Objects.equals(pin.notes(), e.notes()) && Objects.equals(pin.provenance(), e.provenance())
                    && pin.provenanceKind() == e.provenanceKind();
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
