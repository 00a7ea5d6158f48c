package io.lockstep.store;

import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The operations available inside one write transaction (see {@link Store#write}). */
public interface StoreTx {

    Optional<Pin> pin(PinKey key);

    /**
     * The pin at {@code key} and its template, as they are now, in one read: a promote needs both as
     * facts, and every statement under the write lock is a round-trip every other writer waits for.
     */
    PinWithTemplate pinWithTemplate(PinKey key);

    /** A pin (empty if none yet) and its template (empty if no template has that name). */
    record PinWithTemplate(Optional<Pin> pin, Optional<Template> template) {
    }

    void savePin(Pin pin, String releaseId);

    /**
     * The history's head, which the next entry links to ({@link HistoryChain#link}); stable until this
     * transaction ends. Fails with {@code HISTORY_HEAD_MISSING} when the head row was deleted.
     */
    HistoryChain.Head historyHead();

    /** Stores an entry already linked to {@link #historyHead()} and makes it the head. */
    void appendHistory(HistoryEntry linked);

    /** The newest entry for this pin whose target digest was {@code digest}, if any. */
    Optional<HistoryEntry> lastEntryTo(PinKey key, String digest);

    Optional<Template> template(String name);

    /** Every template, as this transaction sees it (a release promote checks completeness against them). */
    List<Template> templates();

    void saveTemplate(Template template, String source, Instant at);

    Optional<Release> release(String id);

    Optional<Release> releaseByVersion(String group, String runtimeVersion);

    void saveRelease(Release release);

    /** Replaces who vouched for a release, and where; the release's content never changes. */
    void saveRegistrants(String releaseId, Registrants registrants);

    /** Environments whose pins or history name the release (empty: it was never promoted anywhere). */
    List<String> releaseUsedIn(String releaseId);

    /** Replaces a never-used release's content; see {@link io.lockstep.domain.ReleaseEvent#requireUnused}. */
    void replaceRelease(Release release);

    void deleteRelease(String releaseId);

    void appendReleaseEvent(io.lockstep.domain.ReleaseEvent event);

    List<Fence> fences(String environment);

    void saveFence(Fence fence);

    boolean deleteFence(String environment, String id);

    /** Holds {@code key} against automatic changes for {@code reason} (see {@code service/registry/Holds}). */
    void hold(PinKey key, String reason, Instant at);

    /** Whether {@code key} was held and no longer is. */
    boolean releaseHold(PinKey key);

    /**
     * Records a policy change (its {@code seq} is assigned here) and returns it. Every replica reloads its
     * policies when this commits (the change notification is "everything").
     */
    io.lockstep.domain.PolicyChange appendPolicyChange(io.lockstep.domain.PolicyChange change);

    /** The environment's stops of the line not lifted yet (the gate decides which are active). */
    List<io.lockstep.domain.LineStop> lineStops(String environment);

    Optional<io.lockstep.domain.LineStop> lineStop(String environment, String id);

    void saveLineStop(io.lockstep.domain.LineStop stop);

    /** Whether a stop not lifted yet was lifted now (false: unknown, or lifted before). */
    boolean liftLineStop(String environment, String id, Instant at, String by, String reason);

    /**
     * Approvals in {@code environment} of {@code subject} that can still count at {@code now} (unexpired, not
     * revoked, not used): a promote reads only its own, however many wait for other changes.
     */
    List<io.lockstep.domain.Approval> liveApprovals(String environment, Instant now, ApprovalSubject subject);

    /** What approvals are read for: a release (by id), or single-pin changes to any of some digests. */
    record ApprovalSubject(String releaseId, List<String> digests) {
        public ApprovalSubject {
            digests = digests == null ? List.of() : List.copyOf(digests);
        }

        public static ApprovalSubject ofRelease(String releaseId) {
            return new ApprovalSubject(releaseId, List.of());
        }

        public static ApprovalSubject ofDigests(java.util.Collection<String> digests) {
            return new ApprovalSubject(null, List.copyOf(new java.util.LinkedHashSet<>(digests)));
        }
    }

    Optional<io.lockstep.domain.Approval> approval(String environment, String id);

    void saveApproval(io.lockstep.domain.Approval approval);

    /** Whether a live approval was revoked; false for one that is unknown, used, revoked or expired at {@code at}. */
    boolean revokeApproval(String environment, String id, Instant at, String by);

    /** Marks the approvals a change counted as used by it: each allows one change. */
    void useApprovals(List<String> ids, Instant at);

    /** Records a change refused for want of approval, once per identity and change while it waits. */
    boolean saveApprovalRequest(io.lockstep.domain.ApprovalRequest request);

    /** The change (release, or template+digest+region) went through: its requests are no longer pending. */
    void fulfilApprovalRequests(String environment, String releaseId, String template, String digest, String region,
                                Instant at);

    /**
     * Adds {@code event} to the outbox in this transaction (it exists exactly when the change commits) and
     * returns it with its id. Ids grow in commit order: every write holds the store's write lock.
     */
    io.lockstep.domain.Event appendEvent(io.lockstep.domain.Event event);

    /** Each pin's drift as last told (observed events), read under the write lock. */
    java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> driftStates();

    /** {@link #driftStates()} of the pins in {@code scope} only. */
    default java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> driftStates(io.lockstep.domain.drift.DriftScope scope) {
        java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> out = new java.util.LinkedHashMap<>(driftStates());
        out.keySet().removeIf(k -> !scope.contains(k));
        return out;
    }

    void saveDriftState(io.lockstep.domain.drift.DriftState state);

    void forgetDriftState(PinKey key);

    /** Each fleet's convergence as last told (observed events), read under the write lock. */
    java.util.Map<PinKey, io.lockstep.domain.FleetState> fleetStates();

    void saveFleetState(io.lockstep.domain.FleetState state);

    void forgetFleetState(PinKey key);

    /** Each policy freeze window as last told (observed events), read under the write lock. */
    java.util.Map<io.lockstep.domain.FreezeState.Key, io.lockstep.domain.FreezeState> freezeStates();

    void saveFreezeState(io.lockstep.domain.FreezeState state);
}
