package io.lockstep.store;

import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One write transaction: every table object runs on the transaction's handle, created
 * when first used. Records which pins (or templates) it wrote, for the change notification.
 */
final class JdbiTx implements StoreTx {
    private final Handle h;
    /** The pins written, as stored (the store keeps times to the millisecond). */
    private final java.util.Map<PinKey, Pin> pinsWritten = new java.util.LinkedHashMap<>();
    /** Whether this transaction wrote anything at all (a promote of the digest already pinned writes nothing). */
    private boolean wrote;
    private boolean templatesWritten;
    private final java.util.List<io.lockstep.domain.Event> events = new java.util.ArrayList<>();
    private PinTable pins;
    private HistoryTable history;
    private TemplateTable templates;
    private ReleaseTable releases;
    private FenceTable fences;
    private HoldTable holds;
    private final WriterMemo.InTransaction<io.lockstep.domain.LineStop> lineStopsMemo;
    private final WriterMemo.InTransaction<Fence> fencesMemo;

    JdbiTx(Handle h) {
        this(h, WriterMemo.none());
    }

    /** With the memo as the database transaction sees it (shared by every write that group commit runs in it). */
    JdbiTx(Handle h, WriterMemo.Transaction memo) {
        this.h = h;
        this.lineStopsMemo = memo.lineStops();
        this.fencesMemo = memo.fences();
    }

    /** The events appended, in id order and as stored: handed on once the transaction commits. */
    java.util.List<io.lockstep.domain.Event> events() {
        return events;
    }

    boolean wroteAnything() {
        return wrote;
    }

    Change change() {
        return templatesWritten ? Change.everything() : Change.saved(pinsWritten);
    }

    private PinTable pins() {
        return pins == null ? pins = new PinTable(h) : pins;
    }

    private HistoryTable history() {
        return history == null ? history = new HistoryTable(h) : history;
    }

    private TemplateTable templateTable() {
        return templates == null ? templates = new TemplateTable(h) : templates;
    }

    private ReleaseTable releases() {
        return releases == null ? releases = new ReleaseTable(h) : releases;
    }

    private HoldTable holds() {
        return holds == null ? holds = new HoldTable(h) : holds;
    }

    private ApprovalTable approvals;
    private ApprovalRequestTable approvalRequests;

    private ApprovalTable approvals() {
        return approvals == null ? approvals = new ApprovalTable(h) : approvals;
    }

    private ApprovalRequestTable approvalRequests() {
        return approvalRequests == null ? approvalRequests = new ApprovalRequestTable(h) : approvalRequests;
    }

    private FenceTable fences() {
        return fences == null ? fences = new FenceTable(h) : fences;
    }

    @Override
    public Optional<Pin> pin(PinKey key) {
        return pins().find(key);
    }

    @Override
    public PinWithTemplate pinWithTemplate(PinKey key) {
        return pins().findWithTemplate(key);
    }

    @Override
    public void savePin(Pin pin, String releaseId) {
        wrote = true;
        pins().save(pin, releaseId);
        pinsWritten.put(pin.key(), new Pin(pin.key(), pin.digest(), pin.imageRef(), pin.gitSha(), pin.runtimeVersion(),
                Instant.ofEpochMilli(pin.promotedAt().toEpochMilli()), pin.promotedBy(), pin.notes(), pin.provenance(),
                pin.version(), pin.provenanceKind()));
    }

    @Override
    public HistoryChain.Head historyHead() {
        // The write lock is held, so the head stays the head until this transaction ends.
        return history().requireHead();
    }

    @Override
    public void appendHistory(HistoryEntry linked) {
        wrote = true;
        history().append(linked);
    }

    @Override
    public Optional<HistoryEntry> lastEntryTo(PinKey key, String digest) {
        return history().lastEntryTo(key, digest);
    }

    @Override
    public Optional<Template> template(String name) {
        return templateTable().find(name);
    }

    @Override
    public List<Template> templates() {
        return templateTable().all();
    }

    @Override
    public void saveTemplate(Template t, String source, Instant at) {
        wrote = true;
        templatesWritten = true;
        templateTable().save(t, source, at);
    }

    @Override
    public Optional<Release> release(String id) {
        return releases().find(id);
    }

    @Override
    public Optional<Release> releaseByVersion(String group, String runtimeVersion) {
        return releases().byVersion(group, runtimeVersion);
    }

    @Override
    public void saveRelease(Release r) {
        wrote = true;
        releases().save(r);
    }

    @Override
    public void saveRegistrants(String releaseId, Registrants registrants) {
        wrote = true;
        releases().saveRegistrants(releaseId, registrants);
    }

    @Override
    public List<String> releaseUsedIn(String releaseId) {
        return releases().usedIn(releaseId);
    }

    @Override
    public void replaceRelease(Release r) {
        wrote = true;
        releases().replace(r);
    }

    @Override
    public void deleteRelease(String releaseId) {
        wrote = true;
        releases().delete(releaseId);
    }

    @Override
    public void appendReleaseEvent(io.lockstep.domain.ReleaseEvent event) {
        wrote = true;
        new ReleaseEventTable(h).append(event);
    }

    @Override
    public List<Fence> fences(String environment) {
        return fencesMemo.read(environment, () -> fences().of(environment));
    }

    @Override
    public void saveFence(Fence f) {
        wrote = true;
        fencesMemo.writing(f.environment());
        fences().save(f);
    }

    @Override
    public boolean deleteFence(String environment, String id) {
        wrote = true;
        fencesMemo.writing(environment);
        return fences().delete(environment, id);
    }

    @Override
    public void hold(PinKey key, String reason, Instant at) {
        wrote = true;
        holds().put(key, reason, at);
    }

    @Override
    public boolean releaseHold(PinKey key) {
        wrote = true;
        return holds().delete(key);
    }

    @Override
    public io.lockstep.domain.PolicyChange appendPolicyChange(io.lockstep.domain.PolicyChange change) {
        wrote = true;
        // Policies are part of every replica's in-memory view of the environments: reload everything.
        templatesWritten = true;
        return new PolicyTable(h).append(change);
    }

    @Override
    public List<io.lockstep.domain.LineStop> lineStops(String environment) {
        return lineStopsMemo.read(environment, () -> new LineStopTable(h).unlifted(environment));
    }

    @Override
    public Optional<io.lockstep.domain.LineStop> lineStop(String environment, String id) {
        return new LineStopTable(h).find(environment, id);
    }

    @Override
    public void saveLineStop(io.lockstep.domain.LineStop stop) {
        wrote = true;
        lineStopsMemo.writing(stop.environment());
        new LineStopTable(h).save(stop);
    }

    @Override
    public boolean liftLineStop(String environment, String id, java.time.Instant at, String by, String reason) {
        wrote = true;
        lineStopsMemo.writing(environment);
        return new LineStopTable(h).lift(environment, id, at, by, reason);
    }

    @Override
    public List<io.lockstep.domain.Approval> liveApprovals(String environment, Instant now, ApprovalSubject subject) {
        return approvals().live(environment, now, subject);
    }

    @Override
    public Optional<io.lockstep.domain.Approval> approval(String environment, String id) {
        return approvals().find(environment, id);
    }

    @Override
    public void saveApproval(io.lockstep.domain.Approval approval) {
        wrote = true;
        approvals().save(approval);
    }

    @Override
    public boolean revokeApproval(String environment, String id, Instant at, String by) {
        wrote = true;
        return approvals().revoke(environment, id, at, by);
    }

    @Override
    public void useApprovals(List<String> ids, Instant at) {
        wrote = true;
        approvals().use(ids, at);
    }

    @Override
    public boolean saveApprovalRequest(io.lockstep.domain.ApprovalRequest request) {
        wrote = true;
        return approvalRequests().save(request);
    }

    @Override
    public void fulfilApprovalRequests(String environment, String releaseId, String template, String digest,
                                       String region, Instant at) {
        wrote = true;
        approvalRequests().fulfil(environment, releaseId, template, digest, region, at);
    }

    @Override
    public io.lockstep.domain.Event appendEvent(io.lockstep.domain.Event event) {
        wrote = true;
        io.lockstep.domain.Event written = new EventTable(h).append(event);
        events.add(written);
        return written;
    }

    int deleteEvents(java.time.Instant before, long upTo) {
        return new EventTable(h).deleteBefore(before, upTo);
    }

    @Override
    public java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> driftStates() {
        return new DriftStateTable(h).all();
    }

    @Override
    public java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> driftStates(io.lockstep.domain.drift.DriftScope scope) {
        return new DriftStateTable(h).within(scope);
    }

    @Override
    public void saveDriftState(io.lockstep.domain.drift.DriftState state) {
        wrote = true;
        new DriftStateTable(h).put(state);
    }

    @Override
    public void forgetDriftState(PinKey key) {
        wrote = true;
        new DriftStateTable(h).delete(key);
    }

    @Override
    public java.util.Map<PinKey, io.lockstep.domain.FleetState> fleetStates() {
        return new FleetStateTable(h).all();
    }

    @Override
    public void saveFleetState(io.lockstep.domain.FleetState state) {
        wrote = true;
        new FleetStateTable(h).put(state);
    }

    @Override
    public java.util.Map<io.lockstep.domain.FreezeState.Key, io.lockstep.domain.FreezeState> freezeStates() {
        return new FreezeStateTable(h).all();
    }

    @Override
    public void saveFreezeState(io.lockstep.domain.FreezeState state) {
        wrote = true;
        new FreezeStateTable(h).put(state);
    }

    @Override
    public void forgetFleetState(PinKey key) {
        wrote = true;
        new FleetStateTable(h).delete(key);
    }
}
