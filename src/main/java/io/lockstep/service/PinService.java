package io.lockstep.service;

import io.lockstep.domain.Action;
import io.lockstep.domain.Digest;
import io.lockstep.domain.Environment;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinChange;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Provenance;
import io.lockstep.domain.Release;
import io.lockstep.domain.ReleaseCompleteness;
import io.lockstep.domain.Template;
import io.lockstep.store.Store;
import io.lockstep.store.StoreTx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every change of a pin goes through here: single promotes, release promotes and rollbacks. Each
 * runs in one store transaction that also appends the history entry, so a pin never moves without
 * its record, and checks fences inside that transaction so replicas cannot race past a fence.
 */
public final class PinService {
    private final Store store;
    private final Environments environments;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final ImageVerifier verifier;
    private final List<PromotionObserver> observers;

    public PinService(Store store, Environments environments, SnapshotHolder snapshot, Clock clock,
                      ImageVerifier verifier, List<PromotionObserver> observers) {
        this.store = store;
        this.environments = environments;
        this.snapshot = snapshot;
        this.clock = clock;
        this.verifier = verifier;
        this.observers = List.copyOf(observers);
    }

    public PromoteOutcome promote(PromoteCommand cmd, String actor) {
        Environment env = environments.require(cmd.environment());
        Template template = requirePinnable(cmd.template());
        String region = Names.regionOrDefault(cmd.region());
        String digest = Digest.require("image_digest", cmd.digest());
        String expected = cmd.expectedDigest() == null ? null : Digest.require("expected_digest", cmd.expectedDigest());
        String gitSha = Names.optionalGitSha(cmd.gitSha());
        String runtimeVersion = Names.optionalRuntimeVersion(cmd.runtimeVersion());
        String notes = Names.optionalNotes(cmd.notes());
        Map<String, String> provenance = Provenance.validate(cmd.provenance());
        requireProvenanceIfNeeded(env, provenance);
        verifier.verify(env, Map.of(template, digest));

        PinKey key = new PinKey(env.name(), template.name(), region);
        PromoteOutcome outcome = store.write(tx -> {
            Instant now = clock.instant();
            checkFences(tx, env, now);
            Optional<Pin> current = tx.pin(key);
            if (expected != null && !current.map(Pin::digest).orElse("").equals(expected)) {
                String actual = current.map(Pin::digest).orElse(null);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("current_digest", actual);
                details.put("expected_digest", expected);
                throw new LockstepException(ErrorKind.CONFLICT, "DIGEST_CONFLICT", "The " + key.template() + " pin in "
                        + key.environment() + "/" + key.region() + " is at " + (actual == null ? "no digest (no pin yet)" : actual)
                        + ", not the expected " + expected + "; read the pin again and retry with its current digest.",
                        details);
            }
            return movePin(tx, template, current, new PinChange(key, current.map(Pin::digest).orElse(null), digest,
                    gitSha, runtimeVersion, notes, actor, provenance, Action.PROMOTE, now, null));
        });
        notifyObservers(env, List.of(outcome));
        return outcome;
    }

    /**
     * Promotes every image of a registered release into one environment, all or nothing. Members the
     * release excludes keep their pin and get an {@code exclude} history entry with the reason.
     */
    public List<PromoteOutcome> promoteRelease(String environment, String releaseId, String regionName, String notes,
                                               Map<String, ?> rawProvenance, String actor) {
        Environment env = environments.require(environment);
        String region = Names.regionOrDefault(regionName);
        String validNotes = Names.optionalNotes(notes);
        Map<String, String> provenance = Provenance.validate(rawProvenance);
        requireProvenanceIfNeeded(env, provenance);
        Release release = store.release(releaseId).orElseThrow(() -> LockstepException.notFound("UNKNOWN_RELEASE",
                "No release " + Names.quoteForError(releaseId) + " is registered; register it with POST /api/v1/releases first."));
        release.requireVouchedFor(env.name());
        List<String> joinedSince = ReleaseCompleteness.missing(release.group(), release.images(), release.exclude(),
                snapshot.get().templates());
        if (!joinedSince.isEmpty()) {
            throw new LockstepException(ErrorKind.UNPROCESSABLE, "INCOMPLETE_RELEASE", "Release " + release.id()
                    + " leaves out " + String.join(", ", joinedSince) + ", which joined group " + release.group()
                    + " after it was registered; register a new release that names each of them (in images, or in"
                    + " exclude with a reason).", Map.of("missing", joinedSince));
        }
        Map<Template, String> images = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : release.images().entrySet()) {
            images.put(requirePinnable(e.getKey()), e.getValue());
        }
        verifier.verify(env, images);

        List<PromoteOutcome> outcomes = store.write(tx -> {
            Instant now = clock.instant();
            checkFences(tx, env, now);
            List<PromoteOutcome> out = new ArrayList<>();
            for (Map.Entry<Template, String> e : images.entrySet()) {
                PinKey key = new PinKey(env.name(), e.getKey().name(), region);
                Optional<Pin> current = tx.pin(key);
                out.add(movePin(tx, e.getKey(), current, new PinChange(key, current.map(Pin::digest).orElse(null),
                        e.getValue(), release.gitSha(), release.runtimeVersion(), validNotes, actor, provenance,
                        Action.RELEASE, now, release.id())));
            }
            for (Map.Entry<String, String> e : release.exclude().entrySet()) {
                PinKey key = new PinKey(env.name(), e.getKey(), region);
                Optional<Pin> current = tx.pin(key);
                String digest = current.map(Pin::digest).orElse(null);
                HistoryEntry entry = HistoryChain.link(tx.historyHead(), new PinChange(key, digest, digest,
                        release.gitSha(), release.runtimeVersion(), "excluded from release " + release.id() + ": "
                        + e.getValue(), actor, provenance, Action.EXCLUDE, now, release.id()));
                tx.appendHistory(entry);
                out.add(new PromoteOutcome(PromoteOutcome.Result.EXCLUDED, current.orElse(null), digest, entry));
            }
            return out;
        });
        notifyObservers(env, outcomes);
        return outcomes;
    }

    /**
     * Moves a pin back: to the digest it had before its current one, or to {@code toDigest}, which
     * must appear in the pin's history (rolling back to something never pinned is a promote).
     */
    public PromoteOutcome rollback(String environment, String templateName, String regionName, String toDigest,
                                   String notes, String actor) {
        Environment env = environments.require(environment);
        Template template = requirePinnable(templateName);
        String region = Names.regionOrDefault(regionName);
        String target = toDigest == null ? null : Digest.require("to_digest", toDigest);
        String validNotes = Names.optionalNotes(notes);
        PinKey key = new PinKey(env.name(), template.name(), region);
        if (target != null) {
            verifier.verify(env, Map.of(template, target));
        }
        PromoteOutcome outcome = store.write(tx -> {
            Instant now = clock.instant();
            checkFences(tx, env, now);
            Pin current = tx.pin(key).orElseThrow(() -> missingPin(key));
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
                    ErrorKind.UNPROCESSABLE, "DIGEST_NOT_IN_HISTORY", finalDestination + " was never pinned for " + key
                    + "; a rollback can only return to a digest from the pin's history (use promote for a new one)."));
            return movePin(tx, template, Optional.of(current), new PinChange(key, current.digest(), destination,
                    source.gitSha(), source.runtimeVersion(), validNotes, actor, Map.of(), Action.ROLLBACK, now, null));
        });
        notifyObservers(env, List.of(outcome));
        return outcome;
    }

    public List<HistoryEntry> history(String environment, String templateName, String regionName, int limit,
                                      Long beforeSeq) {
        Environment env = environments.require(environment);
        Template template = requireKnown(templateName);
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
        return new PromoteOutcome(current.isPresent() ? PromoteOutcome.Result.UPDATED : PromoteOutcome.Result.CREATED,
                pin, change.fromDigest(), entry);
    }

    private static void checkFences(StoreTx tx, Environment env, Instant now) {
        for (Fence f : tx.fences(env.name())) {
            if (f.activeAt(now)) {
                long retryAfter = Math.max(1, Duration.between(now, f.expiresAt()).toSeconds() + 1);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("fence_id", f.id());
                details.put("fenced_by", f.createdBy());
                details.put("reason", f.reason());
                details.put("expires_at", f.expiresAt().toString());
                details.put("retry_after_seconds", retryAfter);
                throw new LockstepException(ErrorKind.CONFLICT, "FENCED", "Environment " + env.name()
                        + " is fenced by " + f.createdBy() + " (" + f.reason() + ") until " + f.expiresAt()
                        + "; retry after " + retryAfter + " s or ask them to lift the fence.", details);
            }
        }
    }

    private static void requireProvenanceIfNeeded(Environment env, Map<String, String> provenance) {
        if (env.requireProvenance() && !Provenance.isComplete(provenance)) {
            throw new LockstepException(ErrorKind.UNPROCESSABLE, "PROVENANCE_REQUIRED", "Environment " + env.name()
                    + " requires provenance with at least ci_run and commit (e.g. \"provenance\":{\"ci_run\":\"…\",\"commit\":\"…\"}).");
        }
    }

    Template requireKnown(String name) {
        Names.require("template_name", name);
        Template t = snapshot.get().template(name);
        if (t == null) {
            throw new LockstepException(ErrorKind.UNPROCESSABLE, "UNKNOWN_TEMPLATE", "No template named "
                    + Names.quoteForError(name) + " is registered; see GET /cp/runtimes for the known templates.");
        }
        return t;
    }

    private Template requirePinnable(String name) {
        Template t = requireKnown(name);
        if (!t.pinnable()) {
            throw new LockstepException(ErrorKind.UNPROCESSABLE, "TEMPLATE_NOT_PINNABLE", "Template " + name
                    + " is not pinnable.");
        }
        return t;
    }

    private static LockstepException missingPin(PinKey key) {
        return new LockstepException(ErrorKind.UNPROCESSABLE, "RUNTIME_PIN_MISSING", "There is no pin for " + key + ".");
    }

    private static LockstepException nothingToRollBack(PinKey key) {
        return new LockstepException(ErrorKind.CONFLICT, "NOTHING_TO_ROLL_BACK", "The pin " + key
                + " has no earlier digest to roll back to; name one with to_digest.");
    }

    private void notifyObservers(Environment env, List<PromoteOutcome> outcomes) {
        for (PromotionObserver o : observers) {
            o.promoted(env, outcomes);
        }
    }
}
