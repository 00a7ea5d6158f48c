package io.lockstep.service;

import io.lockstep.domain.Action;
import io.lockstep.domain.Approval;
import io.lockstep.domain.ApprovalRequest;
import io.lockstep.domain.Digest;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Events;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinChange;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.domain.PromotionGate;
import io.lockstep.domain.PromotionGate.Facts;
import io.lockstep.domain.PromotionGate.Origin;
import io.lockstep.domain.Provenance;
import io.lockstep.domain.ProvenanceKind;
import io.lockstep.domain.Refusal;
import io.lockstep.domain.Release;
import io.lockstep.domain.LineStop;
import io.lockstep.domain.PromotionPolicy;
import io.lockstep.domain.Template;
import io.lockstep.domain.UpstreamState;
import io.lockstep.domain.VerifiedIdentity;
import io.lockstep.store.Store;
import io.lockstep.store.StoreTx;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every change of a pin goes through here: single promotes, release promotes and rollbacks. Each
 * runs in one store transaction that also appends the history entry, so a pin never moves without
 * its record, and asks the {@link PromotionGate} inside that transaction, with the facts read in it,
 * so replicas cannot race past a fence or a compare-and-set. Requests arrive with their
 * environment already resolved by the adapter.
 */
public final class PinService {
    private final Store store;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final ImageVerifier verifier;
    private final List<PromotionObserver> observers;
    private final HeldPins held;
    private final UpstreamSources upstreams;

    public PinService(Store store, SnapshotHolder snapshot, Clock clock, ImageVerifier verifier,
                      List<PromotionObserver> observers, HeldPins held) {
        this(store, snapshot, clock, verifier, observers, held, UpstreamSources.NONE);
    }

    public PinService(Store store, SnapshotHolder snapshot, Clock clock, ImageVerifier verifier,
                      List<PromotionObserver> observers, HeldPins held, UpstreamSources upstreams) {
        this.store = store;
        this.snapshot = snapshot;
        this.clock = clock;
        this.verifier = verifier;
        this.observers = List.copyOf(observers);
        this.held = held;
        this.upstreams = upstreams;
    }

    /** A person's (or a pipeline's) promote of one pin. */
    public PromoteOutcome promote(PromotionRequest request, String actor) {
        return promote(request, actor, Origin.MANUAL);
    }

    public PromoteOutcome promote(PromotionRequest request, String actor, Origin origin) {
        return promote(request, actor, origin, null);
    }

    /**
     * {@code verified}: the caller's proven CI identity, or null. When present its claims are the
     * change's provenance ({@link Provenance#record}); what the request declares cannot replace them.
     */
    public PromoteOutcome promote(PromotionRequest request, String actor, Origin origin, VerifiedIdentity verified) {
        Environment env = request.environment();
        Template template = requireKnown(request.template(), Problem.UNKNOWN_TEMPLATE_REFERENCED);
        String region = Names.regionOrDefault(request.region());
        String digest = Digest.require("image_digest", request.digest());
        String expected = request.expectedDigest() == null ? null : Digest.require("expected_digest", request.expectedDigest());
        String gitSha = Names.optionalGitSha(request.gitSha());
        String runtimeVersion = Names.optionalRuntimeVersion(request.runtimeVersion());
        String notes = Names.optionalNotes(request.notes());
        Provenance.Recorded provenance = Provenance.record(verified, request.provenance());
        PinKey key = new PinKey(env.name(), template.name(), region);
        ReadBefore before = readBefore(env, origin, Map.of(template, digest), region, true);
        PromoteOutcome outcome = askingApproval(new ApprovalRequest(null, env.name(), null, key.template(), digest,
                key.region(), actor, null), () -> store.write(tx -> {
            Instant now = clock.instant();
            StoreTx.PinWithTemplate facts = tx.pinWithTemplate(key);
            Optional<Pin> current = facts.pin();
            Optional<Template> asNow = facts.template();
            PromotionGate.Proposal proposal = new PromotionGate.Proposal(env, origin, List.of(key), provenance.values(),
                    null, expected, provenance.kind(), Map.of(key, digest)).by(actor).overriding(request.override());
            List<Problem> overrode = approved(tx, proposal, facts(tx, proposal, now, asNow.stream().toList(), current,
                    before));
            return movePin(tx, asNow.orElseThrow(), current, new PinChange(key, current.map(Pin::digest).orElse(null), digest,
                    gitSha, runtimeVersion, notes, actor, provenance.values(), Action.PROMOTE, now, null, provenance.kind())
                    .overriding(request.override(), codes(overrode)));
        }));
        notifyObservers(env, List.of(outcome));
        return outcome;
    }

    /**
     * Promotes every image of a registered release into one environment, all or nothing. Members the
     * release excludes keep their pin and get an {@code exclude} history entry with the reason.
     */
    public List<PromoteOutcome> promoteRelease(ReleasePromotionRequest request, String actor) {
        return promoteRelease(request, actor, Origin.RELEASE);
    }

    public List<PromoteOutcome> promoteRelease(ReleasePromotionRequest request, String actor, Origin origin) {
        return promoteRelease(request, actor, origin, null);
    }

    /** {@code verified}: as for {@link #promote(PromotionRequest, String, Origin, VerifiedIdentity)}. */
    public List<PromoteOutcome> promoteRelease(ReleasePromotionRequest request, String actor, Origin origin,
                                               VerifiedIdentity verified) {
        Environment env = request.environment();
        String region = Names.regionOrDefault(request.region());
        String validNotes = Names.optionalNotes(request.notes());
        Provenance.Recorded provenance = Provenance.record(verified, Provenance.validate(request.provenance()));
        String releaseId = request.releaseId();
        Release registered = store.release(releaseId).orElseThrow(() -> new LockstepException(Problem.UNKNOWN_RELEASE,
                "No release " + Names.quoteForError(releaseId) + " is registered; register it with POST /api/v1/releases first."));
        Map<Template, String> images = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : registered.images().entrySet()) {
            images.put(requireKnown(e.getKey(), Problem.UNKNOWN_TEMPLATE_REFERENCED), e.getValue());
        }
        ReadBefore before = readBefore(env, origin, images, region, true);

        List<PromoteOutcome> outcomes = askingApproval(new ApprovalRequest(null, env.name(), releaseId, null, null, null,
                actor, null), () -> store.write(tx -> {
            Instant now = clock.instant();
            // Read again: who vouched for a release can widen after it was registered (its content never changes).
            Release release = tx.release(releaseId).orElse(registered);
            List<Template> templates = tx.templates();
            List<PinKey> keys = images.keySet().stream().map(t -> new PinKey(env.name(), t.name(), region)).toList();
            PromotionGate.Proposal proposal = new PromotionGate.Proposal(env, origin, keys, provenance.values(), release,
                    null, provenance.kind()).by(actor).overriding(request.override());
            List<String> overrode = codes(approved(tx, proposal, facts(tx, proposal, now, templates, Optional.empty(),
                    before)));
            Map<String, Template> asNow = templates.stream().collect(Collectors.toMap(Template::name, Function.identity()));
            List<PromoteOutcome> out = new ArrayList<>();
            for (Map.Entry<Template, String> e : images.entrySet()) {
                PinKey key = new PinKey(env.name(), e.getKey().name(), region);
                Optional<Pin> current = tx.pin(key);
                out.add(movePin(tx, asNow.get(key.template()), current, new PinChange(key, current.map(Pin::digest).orElse(null),
                        e.getValue(), release.gitSha(), release.runtimeVersion(), validNotes, actor, provenance.values(),
                        Action.RELEASE, now, release.id(), provenance.kind()).overriding(request.override(), overrode)));
            }
            for (Map.Entry<String, String> e : release.exclude().entrySet()) {
                PinKey key = new PinKey(env.name(), e.getKey(), region);
                Optional<Pin> current = tx.pin(key);
                String digest = current.map(Pin::digest).orElse(null);
                HistoryEntry entry = HistoryChain.link(tx.historyHead(), new PinChange(key, digest, digest,
                        release.gitSha(), release.runtimeVersion(), "excluded from release " + release.id() + ": "
                        + e.getValue(), actor, provenance.values(), Action.EXCLUDE, now, release.id(), provenance.kind())
                        .overriding(request.override(), overrode));
                tx.appendHistory(entry);
                out.add(new PromoteOutcome(PromoteOutcome.Result.EXCLUDED, current.orElse(null), digest, entry));
            }
            releaseEvents(tx, release, env, region, out);
            return out;
        }));
        notifyObservers(env, outcomes);
        return outcomes;
    }

    /**
     * Moves a pin back: to the digest it had before its current one, or to {@code toDigest}, which
     * must appear in the pin's history (rolling back to something never pinned is a promote). The
     * gate asks a rollback for provenance like any other change; {@link PromotionGate} says why.
     */
    public PromoteOutcome rollback(RollbackRequest request, String actor) {
        return rollback(request, actor, null);
    }

    /** {@code verified}: as for {@link #promote(PromotionRequest, String, Origin, VerifiedIdentity)}. */
    public PromoteOutcome rollback(RollbackRequest request, String actor, VerifiedIdentity verified) {
        Environment env = request.environment();
        Provenance.Recorded provenance = Provenance.record(verified, Provenance.validate(request.provenance()));
        Template template = requireKnown(request.template(), Problem.UNKNOWN_TEMPLATE_REFERENCED);
        String region = Names.regionOrDefault(request.region());
        String target = request.toDigest() == null ? null : Digest.require("to_digest", request.toDigest());
        String validNotes = Names.optionalNotes(request.notes());
        PinKey key = new PinKey(env.name(), template.name(), region);
        // A rollback skips requires (PromotionGate): only its image, when named, is asked about before the write.
        ReadBefore before = new ReadBefore(target == null ? null : verify(env, Map.of(template, target)), Map.of(), null);
        PromoteOutcome outcome = store.write(tx -> {
            Instant now = clock.instant();
            Optional<Pin> pinned = tx.pin(key);
            Optional<Template> asNow = tx.template(template.name());
            PromotionGate.Proposal proposal = new PromotionGate.Proposal(env, Origin.ROLLBACK, List.of(key),
                    provenance.values(), null, null, provenance.kind()).by(actor).overriding(request.override());
            List<String> overrode = codes(PromotionGate.require(proposal, facts(tx, proposal, now,
                    asNow.stream().toList(), pinned, before)));
            Pin current = pinned.orElseThrow(() -> missingPin(key));
            String destination = target;
            if (destination == null) {
                HistoryEntry arrival = tx.lastEntryTo(key, current.digest()).orElseThrow(() -> nothingToRollBack(key));
                if (arrival.fromDigest() == null) {
                    throw nothingToRollBack(key);
                }
                destination = arrival.fromDigest();
            }
            String finalDestination = destination;
            HistoryEntry source = tx.lastEntryTo(key, destination).orElseThrow(() -> new LockstepException(
                    Problem.DIGEST_NOT_IN_HISTORY, finalDestination + " was never pinned for " + key
                    + "; a rollback can only return to a digest from the pin's history (use promote for a new one)."));
            return movePin(tx, asNow.orElseThrow(), Optional.of(current), new PinChange(key, current.digest(), destination,
                    source.gitSha(), source.runtimeVersion(), validNotes, actor, provenance.values(), Action.ROLLBACK, now, null,
                    provenance.kind()).overriding(request.override(), overrode));
        });
        notifyObservers(env, List.of(outcome));
        return outcome;
    }

    /**
     * What a promote by {@code actor} would answer now, without making it: every refusal of the gate, in
     * its order (empty: it would pass). The same {@link PromotionGate.Proposal} as {@link #promote} or
     * {@link #promoteRelease} builds and the same {@link #facts}, read on one snapshot instead of under the
     * write lock, so the answer can be stale by the next commit but never disagrees with the gate. Input
     * errors (unknown release or template, bad digest) are thrown as the promote throws them.
     */
    public List<Refusal> promotability(PromotabilityQuestion question, String actor) {
        var ask = ask(question, actor, true); // an input error is thrown, as the promote throws it
        return store.readOnly(tx -> ask.apply(tx, clock.instant()));
    }

    /**
     * Several questions on one snapshot (drift asks one per pin that is behind); of several, one with an input
     * error (a release this server never learned) answers that error as its refusal. {@code askRegistry}: whether
     * the image check asks the registry, as a promote does; drift does not (its own audit reports a gone image).
     */
    public List<List<Refusal>> promotability(List<PromotabilityQuestion> questions, String actor, boolean askRegistry) {
        List<java.util.function.BiFunction<StoreTx, Instant, List<Refusal>>> asks = new ArrayList<>();
        for (PromotabilityQuestion q : questions) {
            try {
                asks.add(ask(q, actor, askRegistry));
            } catch (LockstepException e) { // one bad question of many must not hide the others' answers
                List<Refusal> refused = List.of(Refusal.of(e));
                asks.add((tx, now) -> refused);
            }
        }
        return store.readOnly(tx -> {
            Instant now = clock.instant();
            List<List<Refusal>> out = new ArrayList<>(asks.size());
            asks.forEach(a -> out.add(a.apply(tx, now)));
            return out;
        });
    }

    /** Mirrors the start of {@link #promote} / {@link #promoteRelease}: validation and the image check before the snapshot. */
    private java.util.function.BiFunction<StoreTx, Instant, List<Refusal>> ask(PromotabilityQuestion q, String actor,
                                                                              boolean askRegistry) {
        Environment env = q.environment();
        String region = Names.regionOrDefault(q.region());
        Provenance.Recorded provenance = Provenance.record(q.verified(), Map.of());
        ProvenanceKind kind = q.assumed() != null ? q.assumed() : provenance.kind();
        if (q.releaseId() != null) {
            String releaseId = q.releaseId();
            Release registered = store.release(releaseId).orElseThrow(() -> new LockstepException(Problem.UNKNOWN_RELEASE,
                    "No release " + Names.quoteForError(releaseId) + " is registered; register it with POST /api/v1/releases first."));
            Map<Template, String> images = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : registered.images().entrySet()) {
                images.put(requireKnown(e.getKey(), Problem.UNKNOWN_TEMPLATE_REFERENCED), e.getValue());
            }
            ReadBefore before = readBefore(env, Origin.RELEASE, images, region, askRegistry);
            return (tx, now) -> {
                Release release = tx.release(releaseId).orElse(registered);
                List<Template> templates = tx.templates();
                List<PinKey> keys = images.keySet().stream().map(t -> new PinKey(env.name(), t.name(), region)).toList();
                PromotionGate.Proposal proposal = new PromotionGate.Proposal(env, Origin.RELEASE, keys,
                        provenance.values(), release, null, kind).by(actor);
                return PromotionGate.refusals(proposal, facts(tx, proposal, now, templates, Optional.empty(), before));
            };
        }
        Template template = requireKnown(q.template(), Problem.UNKNOWN_TEMPLATE_REFERENCED);
        String digest = Digest.require("digest", q.digest());
        PinKey key = new PinKey(env.name(), template.name(), region);
        ReadBefore before = readBefore(env, Origin.MANUAL, Map.of(template, digest), region, askRegistry);
        return (tx, now) -> {
            StoreTx.PinWithTemplate facts = tx.pinWithTemplate(key);
            PromotionGate.Proposal proposal = new PromotionGate.Proposal(env, Origin.MANUAL, List.of(key),
                    provenance.values(), null, null, kind, Map.of(key, digest)).by(actor);
            return PromotionGate.refusals(proposal, facts(tx, proposal, now, facts.template().stream().toList(),
                    facts.pin(), before));
        };
    }

    /** A read named by the URL: an unknown template is {@code 404}, like {@code GET …/pins/{template}}. */
    public List<HistoryEntry> history(Environment env, String templateName, String regionName, int limit,
                                      Long beforeSeq) {
        Template template = requireKnown(templateName, Problem.UNKNOWN_TEMPLATE);
        PinKey key = new PinKey(env.name(), template.name(), Names.regionOrDefault(regionName));
        return store.history(key, limit, beforeSeq);
    }

    public HistoryChain.Verification verifyChain() {
        return store.verifyHistory();
    }

    private PromoteOutcome movePin(StoreTx tx, Template template, Optional<Pin> current, PinChange change) {
        String digest = change.toDigest();
        if (current.isPresent() && current.get().digest().equals(digest)) {
            return new PromoteOutcome(PromoteOutcome.Result.UNCHANGED, current.get(), digest, null);
        }
        long version = current.map(p -> p.version() + 1).orElse(1L);
        Pin pin = change.pin(template.imageRef(digest), version);
        // History first: if it cannot be written the transaction fails and the pin never moves.
        HistoryEntry entry = HistoryChain.link(tx.historyHead(), change);
        tx.appendHistory(entry);
        tx.savePin(pin, change.releaseId());
        tx.appendEvent(Events.pinMoved(change, current, template.group(), entry.seq()));
        if (change.releaseId() == null) {
            Events.overrideUsed(change, template.group()).ifPresent(tx::appendEvent);
        }
        return new PromoteOutcome(current.isPresent() ? PromoteOutcome.Result.UPDATED : PromoteOutcome.Result.CREATED,
                pin, change.fromDigest(), entry);
    }

    /**
     * {@code release.promoted} (and {@code override.used}) when the release moved at least one pin; a repeat
     * of a promote already made moves none and tells no one.
     */
    private static void releaseEvents(StoreTx tx, Release release, Environment env, String region,
                                      List<PromoteOutcome> out) {
        List<PromoteOutcome> moved = out.stream().filter(o -> o.entry() != null
                && o.result() != PromoteOutcome.Result.EXCLUDED).toList();
        if (moved.isEmpty()) {
            return;
        }
        HistoryEntry first = moved.get(0).entry();
        PinChange change = new PinChange(new PinKey(env.name(), first.key().template(), region), null, null,
                release.gitSha(), release.runtimeVersion(), null, first.promotedBy(), first.provenance(), Action.RELEASE,
                first.at(), release.id(), first.provenanceKind()).overriding(first.overrideReason(), first.overrode());
        tx.appendEvent(Events.releasePromoted(release, env.name(), region,
                moved.stream().map(o -> o.entry().key().template()).toList(),
                out.stream().filter(o -> o.result() == PromoteOutcome.Result.EXCLUDED)
                        .map(o -> o.entry().key().template()).toList(), change));
        Events.overrideUsed(change, release.group()).ifPresent(tx::appendEvent);
    }

    /** The facts the gate needs that live in this transaction (fences, holds) or were gathered before it. */
    private Facts facts(StoreTx tx, PromotionGate.Proposal proposal, Instant now, List<Template> templates,
                        Optional<Pin> current, ReadBefore before) {
        Environment env = proposal.environment();
        Origin origin = proposal.origin();
        List<PinKey> keys = proposal.pins();
        Map<PinKey, String> holds = new LinkedHashMap<>();
        if (origin == Origin.AUTO) {
            for (PinKey k : keys) {
                held.reason(k).ifPresent(r -> holds.put(k, r));
            }
        }
        // requires: read only where configured, so an environment without it pays nothing; a rollback skips the rule.
        Map<PinKey, Pin> upstream = Map.of();
        if (before.remotePins() != null) {
            upstream = before.remotePins();
        } else if (env.requires() != null && origin != Origin.ROLLBACK) {
            upstream = new LinkedHashMap<>();
            for (PinKey k : keys) {
                Optional<Pin> up = tx.pin(new PinKey(env.requires().upstream(), k.template(), k.region()));
                if (up.isPresent()) {
                    upstream.put(k, up.get());
                }
            }
        }
        // approvals: read only where configured, like requires, and only those of this change (of its release, or
        // of its digests), so a promote's cost does not grow with the approvals waiting for other changes.
        List<Approval> approvals = env.approvals() != null && origin != Origin.ROLLBACK
                ? tx.liveApprovals(env.name(), now, approvalSubject(proposal)) : List.of();
        List<LineStop> stops = origin == Origin.ROLLBACK ? List.of() : tx.lineStops(env.name());
        // Where a policy could hold the change, whether it would move anything at all (see PromotionGate.unchanged).
        Map<PinKey, String> pinned = new LinkedHashMap<>();
        if (origin != Origin.ROLLBACK && (!PromotionPolicy.NONE.equals(env.policy()) || !stops.isEmpty())) {
            for (PinKey k : keys) {
                Optional<Pin> p = keys.size() == 1 && current.isPresent() ? current : tx.pin(k);
                p.ifPresent(pin -> pinned.put(k, pin.digest()));
            }
        }
        return new Facts(now, tx.fences(env.name()), templates, current, before.imageCheck(), holds, upstream,
                before.upstreamConverged(), stops, approvals, pinned);
    }

    /**
     * What the gate needs that is read before the write transaction, because it is I/O that must not hold the
     * write lock: the image check, and where {@code requires} asks for them the upstream fleet's share and a
     * remote upstream's pins (null when the upstream is local and read in the transaction).
     */
    /** What approvals of {@code proposal} are given for: its release, or each pin's digest. */
    private static StoreTx.ApprovalSubject approvalSubject(PromotionGate.Proposal proposal) {
        return proposal.release() != null ? StoreTx.ApprovalSubject.ofRelease(proposal.release().id())
                : StoreTx.ApprovalSubject.ofDigests(proposal.digests().values());
    }

    private record ReadBefore(Refusal imageCheck, Map<PinKey, Double> upstreamConverged, Map<PinKey, Pin> remotePins) {
    }

    /** {@link ReadBefore} for moving {@code images} (template → digest) in {@code region}; {@code askRegistry}: run the image check. */
    private ReadBefore readBefore(Environment env, Origin origin, Map<Template, String> images, String region,
                                  boolean askRegistry) {
        Map<PinKey, String> moves = new LinkedHashMap<>();
        images.forEach((t, d) -> moves.put(new PinKey(env.name(), t.name(), region), d));
        return new ReadBefore(askRegistry ? verify(env, images) : null, upstreamConverged(env, origin, moves),
                remoteUpstream(env, origin, List.copyOf(moves.keySet())));
    }

    /**
     * {@code requires.min_converged}: how far the upstream's fleet runs each digest, read before the transaction
     * (fleet reports are written outside the write lock, so reading them under it would add nothing); only where
     * configured, so other environments pay nothing. A rollback skips the rule.
     */
    private Map<PinKey, Double> upstreamConverged(Environment env, Origin origin, Map<PinKey, String> moves) {
        if (env.requires() == null || env.requires().minConverged() == null || origin == Origin.ROLLBACK) {
            return Map.of();
        }
        Map<PinKey, Double> out = new LinkedHashMap<>();
        moves.forEach((k, digest) -> upstreams.fleet().share(new PinKey(env.requires().upstream(), k.template(), k.region()),
                digest).ifPresent(share -> out.put(k, share)));
        return out;
    }

    /**
     * {@code requires} naming the environment's remote upstream: its pins of the moved keys' templates and
     * regions (keyed by the moved key), read before the transaction; null when the upstream is local (read in the
     * transaction) or there is no such rule. An upstream that cannot be read is a 503: whether it runs the
     * change is unknown, and a gate must not guess.
     */
    private Map<PinKey, Pin> remoteUpstream(Environment env, Origin origin, List<PinKey> keys) {
        if (env.requires() == null || origin == Origin.ROLLBACK) {
            return null;
        }
        UpstreamState state = upstreams.remotePins().of(env.name());
        if (state == null || !state.upstream().environment().equals(env.requires().upstream())) {
            return null;
        }
        if (!state.reachable()) {
            throw new LockstepException(Problem.UPSTREAM_UNAVAILABLE, "Environment " + env.name() + " requires changes to"
                    + " pass " + state.upstream().label() + " first, and it could not be read (" + state.unreachableReason()
                    + "); nothing was changed, retry shortly.");
        }
        Map<PinKey, Pin> out = new LinkedHashMap<>();
        for (PinKey k : keys) {
            state.pins().stream().filter(p -> p.key().template().equals(k.template()) && p.key().region().equals(k.region()))
                    .findFirst().ifPresent(p -> out.put(k, p));
        }
        return out;
    }

    /**
     * The gate, then, in the same transaction, the approvals it counted are used up (each allows one change)
     * and the change's pending approval requests are fulfilled.
     */
    private static List<Problem> approved(StoreTx tx, PromotionGate.Proposal proposal, Facts facts) {
        List<Problem> overrode = PromotionGate.require(proposal, facts);
        List<Approval> counted = PromotionGate.countedApprovals(proposal, facts);
        if (counted.isEmpty() || PromotionGate.unchanged(proposal, facts)) {
            return overrode;
        }
        tx.useApprovals(counted.stream().map(Approval::id).toList(), facts.now());
        Approval a = counted.get(0);
        tx.fulfilApprovalRequests(a.environment(), a.releaseId(), a.template(), a.digest(), a.region(), facts.now());
        return overrode;
    }

    /**
     * A change refused for want of approval is recorded as a pending request (its own small write, after the
     * refused one rolled back and wrote nothing), so {@code GET …/approvals} shows approvers what waits.
     */
    private <T> T askingApproval(ApprovalRequest asked, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (LockstepException e) {
            if (Problem.APPROVAL_REQUIRED.code().equals(e.code())) {
                try {
                    store.write(tx -> {
                        ApprovalRequest filed = new ApprovalRequest(java.util.UUID.randomUUID().toString(),
                                asked.environment(), asked.releaseId(), asked.template(), asked.digest(), asked.region(),
                                asked.requestedBy() == null ? "unknown" : asked.requestedBy(), clock.instant());
                        if (tx.saveApprovalRequest(filed)) { // a retry of a waiting request files nothing new
                            tx.appendEvent(Events.approvalRequested(filed, requestGroup(tx, filed)));
                        }
                        return null;
                    });
                } catch (RuntimeException notRecorded) {
                    // The caller must still learn why the promote was refused; the request is only a courtesy.
                    e.addSuppressed(notRecorded);
                }
            }
            throw e;
        }
    }

    /** The lock-step group of what {@code r} asks for: its release's, or its template's. */
    private String requestGroup(StoreTx tx, ApprovalRequest r) {
        if (r.releaseId() != null) {
            return tx.release(r.releaseId()).map(Release::group).orElse(null);
        }
        Template t = snapshot.get().template(r.template());
        return t == null ? null : t.group();
    }

    /** Asks the registry before the transaction (a slow registry must not hold the write lock); a refusal becomes a fact. */
    private Refusal verify(Environment env, Map<Template, String> digests) {
        try {
            verifier.verify(env, digests);
            return null;
        } catch (LockstepException e) {
            return Refusal.of(e);
        }
    }

    /** {@code missing}: 404 when the URL names the template as what is read, 422 when a change refers to it. */
    private Template requireKnown(String name, Problem missing) {
        Names.require("template_name", name);
        Template t = snapshot.get().template(name);
        if (t == null) {
            throw new LockstepException(missing, "No template named "
                    + Names.quoteForError(name) + " is registered; see GET /cp/runtimes for the known templates.");
        }
        return t;
    }

    private static List<String> codes(List<Problem> problems) {
        return problems.stream().map(Problem::code).toList();
    }

    private static LockstepException missingPin(PinKey key) {
        return new LockstepException(Problem.RUNTIME_PIN_MISSING, "There is no pin for " + key + ".");
    }

    private static LockstepException nothingToRollBack(PinKey key) {
        return new LockstepException(Problem.NOTHING_TO_ROLL_BACK, "The pin " + key
                + " has no earlier digest to roll back to; name one with to_digest.");
    }

    private void notifyObservers(Environment env, List<PromoteOutcome> outcomes) {
        for (PromotionObserver o : observers) {
            o.promoted(env, outcomes);
        }
    }
}
