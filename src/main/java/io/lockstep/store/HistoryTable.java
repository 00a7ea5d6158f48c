package io.lockstep.store;

import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.domain.LockstepException;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The SQL of the append-only {@code pin_history} table and its {@code history_head} row. Entries
 * arrive already linked ({@link HistoryChain#link}); this only stores them and moves the head.
 */
interface HistoryTable {

    /** Newest first, strictly before {@code before}. */
    @SqlQuery("SELECT * FROM pin_history WHERE environment = :environment AND template = :template AND region = :region"
            + " AND seq < :before ORDER BY seq DESC LIMIT :limit")
    List<HistoryEntry> page(@BindMethods PinKey key, long before, int limit);

    @SqlQuery("SELECT * FROM pin_history WHERE environment = :environment AND template = :template AND region = :region"
            + " AND to_digest = :digest AND action <> 'exclude' ORDER BY seq DESC LIMIT 1")
    Optional<HistoryEntry> lastEntryTo(@BindMethods PinKey key, String digest);

    /** The whole history in chain order, streamed (close it). */
    @SqlQuery("SELECT * FROM pin_history ORDER BY seq")
    @FetchSize(500)
    Stream<HistoryEntry> inOrder();

    @SqlQuery("SELECT seq, hash FROM history_head WHERE id = 1")
    Optional<HistoryChain.Head> head();

    /** The head a new entry links to; without it nothing can be appended. */
    default HistoryChain.Head requireHead() {
        return head().orElseThrow(() -> new LockstepException(Problem.HISTORY_HEAD_MISSING, "The history head was"
                + " deleted outside Lockstep, so a new entry cannot be linked to the chain; nothing was changed. See GET"
                + " /api/v1/history/verify and restore the history_head row from a backup."));
    }

    /** Stores an entry linked to the current head and makes it the head. */
    default void append(HistoryEntry e) {
        insert(e, e.key(), Json.write(e.provenance()), e.action().wire(), e.at().toEpochMilli());
        moveHead(e.seq(), e.hash());
    }

    @SqlUpdate("INSERT INTO pin_history (seq, environment, template, region, from_digest, to_digest, git_sha,"
            + " runtime_version, notes, promoted_by, provenance, action, at, release_id, prev_hash, hash)"
            + " VALUES (:e.seq, :environment, :template, :region, :e.fromDigest, :e.toDigest, :e.gitSha,"
            + " :e.runtimeVersion, :e.notes, :e.promotedBy, :provenance, :action, :at, :e.releaseId, :e.prevHash,"
            + " :e.hash)")
    void insert(@BindMethods("e") HistoryEntry e, @BindMethods PinKey key, String provenance, String action, long at);

    @SqlUpdate("UPDATE history_head SET seq = :seq, hash = :hash WHERE id = 1")
    void moveHead(long seq, String hash);
}
