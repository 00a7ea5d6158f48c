package io.lockstep.store;

import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Durable state: templates, pins, the append-only history, releases and fences. Two
 * implementations share one schema: the embedded SQLite file and PostgreSQL.
 *
 * <p>All writes go through {@link #write}, which runs the work in one transaction under a
 * store-wide write lock, so a promote and its history entry commit together or not at all and
 * concurrent promotes serialise (also across server processes sharing PostgreSQL).
 */
public interface Store extends AutoCloseable {

    String kind();

    List<Template> templates();

    List<Pin> pins();

    Optional<Pin> pin(PinKey key);

    /** Newest first; {@code beforeSeq} pages backwards (null for the newest page). */
    List<HistoryEntry> history(PinKey key, int limit, Long beforeSeq);

    /**
     * Verifies the whole history chain, its head and every pin against its last entry, all read
     * from one consistent snapshot.
     */
    io.lockstep.domain.HistoryChain.Verification verifyHistory();

    List<Release> releases();

    Optional<Release> release(String id);

    /** Replacements and withdrawals of releases, oldest first; {@code group} null for every group. */
    List<io.lockstep.domain.ReleaseEvent> releaseEvents(String group);

    List<Fence> fences(String environment);

    /** Every pin automatic changes must leave alone, with the reason, whichever replica held it. */
    Map<PinKey, String> holds();

    /** Each environment's newest policy change through the admin API (those in force). */
    List<io.lockstep.domain.PolicyChange> policiesInForce();

    /** An environment's policy changes, newest first. */
    List<io.lockstep.domain.PolicyChange> policyChanges(String environment, int limit);

    /** The environment's stops of the line, lifted ones too, newest first, at most {@code limit}. */
    List<io.lockstep.domain.LineStop> lineStops(String environment, int limit);

    /** Every stop of the line not lifted yet, in every environment (some may have passed their end). */
    List<io.lockstep.domain.LineStop> unliftedLineStops();

    /** Approvals in {@code environment} that can still count at {@code now}. */
    default List<io.lockstep.domain.Approval> liveApprovals(String environment, java.time.Instant now) {
        throw new UnsupportedOperationException("approvals"); // a store without approvals (a test's stand-in)
    }

    /** Changes in {@code environment} refused for want of approval that have not gone through yet. */
    default List<io.lockstep.domain.ApprovalRequest> pendingApprovalRequests(String environment) {
        throw new UnsupportedOperationException("approvals");
    }

    /** Events with an id above {@code after}, oldest first, at most {@code limit} (the outbox, issue 13). */
    default List<io.lockstep.domain.Event> eventsAfter(long after, int limit) {
        throw new UnsupportedOperationException("events"); // a store without events (a test's stand-in)
    }

    /** The newest event's id, 0 when there is none. */
    default long lastEventId() {
        throw new UnsupportedOperationException("events");
    }

    /** The oldest event's id still kept, 0 when there is none. */
    default long firstEventId() {
        throw new UnsupportedOperationException("events");
    }

    /**
     * Retention: deletes events older than {@code before} with an id of at most {@code upTo} (the caller
     * keeps what someone still has to deliver), under the write lock; returns how many.
     */
    default int deleteEvents(java.time.Instant before, long upTo) {
        throw new UnsupportedOperationException("events");
    }

    /**
     * Whether the store can take requests, from memory: never waits for the database (see
     * {@link ReadinessCache}). Not ready while the last write failed for an infrastructure reason.
     */
    Readiness readiness();

    <T> T write(Function<StoreTx, T> work);

    /**
     * Runs {@code work} on one consistent snapshot, outside the write lock and firing no change: for
     * reads that need what a write transaction sees (the promotion gate's facts, asked read-only by
     * {@code promotability}). {@code work} must only read; PostgreSQL refuses a write in it. A store
     * without a snapshot read may run it as a write that writes nothing.
     */
    default <T> T readOnly(Function<StoreTx, T> work) {
        return write(work);
    }

    /**
     * Registers a listener called after any committed change, with what it changed: this process's
     * own commits immediately, other replicas' commits through the database's notification channel.
     */
    void onChange(Consumer<Change> listener);

    /**
     * Registers a listener called after each of this process's commits that appended events, with those events in
     * id order and exactly as a read of the outbox returns them (nothing for a rollback, nothing for other replicas'
     * commits): costs the write no statement. Called before the {@link #onChange} listeners; on SQLite once per
     * commit, which may hold several writes (group commit), and under the write lock, so it must be quick.
     */
    default void onEventsWritten(Consumer<java.util.List<io.lockstep.domain.Event>> listener) {
    }

    /**
     * Registers a listener called when another replica committed, or when such commits may have gone unheard (a
     * reconnect): what it wrote, events included, is only in the store. Never called on a store no other process
     * writes to (SQLite).
     */
    default void onChangeElsewhere(Runnable listener) {
    }

    @Override
    void close();

    /**
     * Each pin's drift as last told (observed events), read outside the write lock: the observer writes
     * only when this differs from what it computes, so an unchanged world costs no write.
     */
    default java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> driftStates() {
        throw new UnsupportedOperationException("observed events");
    }

    /** {@link #driftStates()} of the pins in {@code scope} only, read outside the write lock. */
    default java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> driftStates(io.lockstep.domain.drift.DriftScope scope) {
        java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> out = new java.util.LinkedHashMap<>(driftStates());
        out.keySet().removeIf(k -> !scope.contains(k));
        return out;
    }

    /** Each fleet's convergence as last told (observed events), read outside the write lock. */
    default java.util.Map<PinKey, io.lockstep.domain.FleetState> fleetStates() {
        throw new UnsupportedOperationException("observed events");
    }

    /** Each policy freeze window as last told (observed events), read outside the write lock. */
    default java.util.Map<io.lockstep.domain.FreezeState.Key, io.lockstep.domain.FreezeState> freezeStates() {
        throw new UnsupportedOperationException("observed events");
    }
}
