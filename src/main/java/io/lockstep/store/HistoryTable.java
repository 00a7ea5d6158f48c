package io.lockstep.store;

import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The SQL of the append-only {@code pin_history} table and its {@code history_head} row. Entries
 * arrive already linked ({@link HistoryChain#link}); this only stores them and moves the head.
 */
final class HistoryTable {
    private final Handle h;

    HistoryTable(Handle h) {
        this.h = h;
    }

    /** Newest first, strictly before {@code before}. */
    List<HistoryEntry> page(PinKey key, long before, int limit) {
        return h.createQuery("SELECT * FROM pin_history WHERE environment = :e AND template = :t AND region = :r"
                        + " AND seq < :before ORDER BY seq DESC LIMIT :limit")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                .bind("before", before).bind("limit", limit).map(Rows.HISTORY).list();
    }

    Optional<HistoryEntry> lastEntryTo(PinKey key, String digest) {
        return h.createQuery("SELECT * FROM pin_history WHERE environment = :e AND template = :t AND region = :r"
                        + " AND to_digest = :d AND action <> 'exclude' ORDER BY seq DESC LIMIT 1")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region()).bind("d", digest)
                .map(Rows.HISTORY).findOne();
    }

    /** The whole history in chain order, streamed (close it). */
    Stream<HistoryEntry> inOrder() {
        return h.createQuery("SELECT * FROM pin_history ORDER BY seq").setFetchSize(500).map(Rows.HISTORY).stream();
    }

    Optional<HistoryChain.Head> head() {
        return h.createQuery("SELECT seq, hash FROM history_head WHERE id = 1").map(Rows.HEAD).findOne();
    }

    /** The head a new entry links to; without it nothing can be appended. */
    HistoryChain.Head requireHead() {
        return head().orElseThrow(() -> new LockstepException(Problem.HISTORY_HEAD_MISSING, "The history head was"
                + " deleted outside Lockstep, so a new entry cannot be linked to the chain; nothing was changed. See GET"
                + " /api/v1/history/verify and restore the history_head row from a backup."));
    }

    /** Stores an entry linked to the current head and makes it the head. */
    void append(HistoryEntry e) {
        PinKey key = e.key();
        h.createUpdate("INSERT INTO pin_history (seq, environment, template, region, from_digest, to_digest, git_sha,"
                        + " runtime_version, notes, promoted_by, provenance, action, at, release_id, prev_hash, hash, provenance_kind,"
                        + " override_reason, overrode)"
                        + " VALUES (:seq, :e, :t, :r, :from, :to, :sha, :rv, :notes, :by, :prov, :action, :at, :rel,"
                        + " :prev, :hash, :kind, :ovr, :overrode)")
                .bind("seq", e.seq()).bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                .bind("from", e.fromDigest()).bind("to", e.toDigest()).bind("sha", e.gitSha())
                .bind("rv", e.runtimeVersion()).bind("notes", e.notes()).bind("by", e.promotedBy())
                .bind("prov", Json.write(e.provenance())).bind("action", e.action().wire())
                .bind("at", e.at().toEpochMilli()).bind("rel", e.releaseId())
                .bind("prev", e.prevHash()).bind("hash", e.hash())
                .bind("kind", e.provenanceKind() == null ? null : e.provenanceKind().wire())
                .bind("ovr", e.overrideReason()).bind("overrode", e.overrodeColumn())
                .execute();
        h.createUpdate("UPDATE history_head SET seq = :seq, hash = :hash WHERE id = 1")
                .bind("seq", e.seq()).bind("hash", e.hash()).execute();
    }
}
