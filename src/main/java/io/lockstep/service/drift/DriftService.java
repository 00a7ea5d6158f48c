package io.lockstep.service.drift;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.PromotionPolicy;
import io.lockstep.domain.ProvenanceKind;
import io.lockstep.domain.Refusal;
import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.domain.drift.DriftStatus;
import io.lockstep.domain.Release;
import io.lockstep.domain.UpstreamState;
import io.lockstep.domain.drift.DriftEngine;
import io.lockstep.domain.drift.DriftInput;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.domain.drift.DriftScope;
import io.lockstep.domain.drift.DriftSignalSource;
import io.lockstep.service.Environments;
import io.lockstep.service.PinService;
import io.lockstep.service.PinSnapshot;
import io.lockstep.service.PromotabilityQuestion;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.UpstreamPins;
import io.lockstep.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds the pure {@link DriftEngine} from the running server: templates and pins from the in-memory
 * snapshot, environments (order and upstream) from config, registered releases from the store, the
 * server clock and the configured grace period. Cheap enough to run per request and per scrape:
 * releases are re-read only after the store reports a change.
 */
public final class DriftService {
    private final Store store;
    private final Environments environments;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final Duration gracePeriod;
    private final DriftSignalSource signals;
    private final UpstreamPins upstreams;
    private final DriftEngine engine = new DriftEngine();
    private final AtomicBoolean releasesStale = new AtomicBoolean(true);
    private volatile List<Release> releases = List.of();
    private final Object releasesLock = new Object();
    private volatile PinService gate;

    public DriftService(Store store, Environments environments, SnapshotHolder snapshot, Clock clock,
                        Duration gracePeriod, DriftSignalSource signals) {
        this(store, environments, snapshot, clock, gracePeriod, signals, UpstreamPins.NONE);
    }

    /** @param upstreams the remote upstreams of environments whose upstream lives on another server */
    public DriftService(Store store, Environments environments, SnapshotHolder snapshot, Clock clock,
                        Duration gracePeriod, DriftSignalSource signals, UpstreamPins upstreams) {
        this.upstreams = upstreams == null ? UpstreamPins.NONE : upstreams;
        this.store = store;
        this.environments = environments;
        this.snapshot = snapshot;
        this.clock = clock;
        this.gracePeriod = gracePeriod;
        this.signals = signals == null ? DriftSignalSource.NONE : signals;
        // Releases are written only in transactions that write no pin (ReleaseService), so a commit that names the
        // pins it wrote (every promote) leaves them as they were: no re-read of every release after each promote.
        store.onChange(change -> {
            if (change.isEverything() || change.pins().isEmpty()) {
                releasesStale.set(true);
            }
        });
    }

    /**
     * Lets drift ask the promotion gate why a pin that is behind has not caught up ({@code SOAKING},
     * {@code AWAITING_APPROVAL}, {@code FROZEN}); without it drift never asks.
     */
    public DriftService askingGate(PinService pins) {
        this.gate = pins;
        return this;
    }

    public Duration gracePeriod() {
        return gracePeriod;
    }

    /** Everything the engine looks at, as of now. */
    public DriftInput input() {
        PinSnapshot snap = snapshot.get();
        return withCatchUps(base(snap, snap.pins()));
    }

    /** The input without the gate's answers, which are asked only for the pins a report looks at. */
    private DriftInput base(PinSnapshot snap, List<Pin> pins) {
        List<Environment> all = environments.all();
        Map<String, UpstreamState> remote = new HashMap<>();
        for (Environment e : all) {
            UpstreamState state = upstreams.of(e.name());
            if (state != null) {
                remote.put(e.name(), state);
            }
        }
        return new DriftInput(List.copyOf(snap.templates()), all, pins, releases(), clock.instant(), gracePeriod,
                signals.current(), remote);
    }

    private DriftInput withCatchUps(DriftInput input) {
        return gate == null ? input : input.withSignals(input.signals().withCatchUpRefusals(catchUpRefusals(input)));
    }

    /**
     * The gate's first refusal of each catch-up, asked through the same read-only question as
     * {@code GET …/promotability}, so drift can never disagree with a promote. Bounded: only pins a first
     * pass finds behind (newest release or upstream), only in environments with a promotion policy or a stopped line, all on
     * one store snapshot, and without asking the registry (the image audit reports a gone image). The
     * catch-up is a release promote of what the upstream runs when the pin's local upstream is on another
     * release, else of the newest release; it is asked as a verified CI pipeline would make it and with no
     * break-glass, since who makes the change is not what the pin waits for.
     */
    private Map<PinKey, Refusal> catchUpRefusals(DriftInput input) {
        Map<String, Environment> withPolicy = new HashMap<>();
        // a stopped line is a policy too, set through the API rather than the configuration
        java.util.Set<String> stopped = new java.util.HashSet<>();
        store.unliftedLineStops().forEach(s -> stopped.add(s.environment()));
        input.environments().stream().filter(e -> !PromotionPolicy.NONE.equals(e.policy()) || stopped.contains(e.name()))
                .forEach(e -> withPolicy.put(e.name(), e));
        if (withPolicy.isEmpty()) {
            return Map.of();
        }
        DriftReport first = engine.compute(input);
        Map<PinKey, DriftFinding> byKey = new HashMap<>();
        first.findings().forEach(f -> byKey.put(f.key(), f));
        List<PinKey> keys = new ArrayList<>();
        List<PromotabilityQuestion> questions = new ArrayList<>();
        for (DriftFinding f : first.findings()) {
            Environment env = withPolicy.get(f.environment());
            if (env == null || !(f.has(DriftStatus.STUCK) || f.has(DriftStatus.IN_FLIGHT)
                    || f.has(DriftStatus.BEHIND_UPSTREAM))) {
                continue;
            }
            DriftFinding up = env.upstream() == null || f.has(DriftStatus.AHEAD_OF_UPSTREAM) ? null
                    : byKey.get(new PinKey(env.upstream(), f.template(), f.region()));
            String target = up != null && up.currentReleaseId() != null && !up.currentReleaseId().equals(f.currentReleaseId())
                    ? up.currentReleaseId() : f.newestReleaseId();
            if (target == null || target.equals(f.currentReleaseId())) {
                continue;
            }
            keys.add(f.key());
            questions.add(PromotabilityQuestion.ofRelease(env, target, f.region()).assuming(ProvenanceKind.VERIFIED));
        }
        if (questions.isEmpty()) {
            return Map.of();
        }
        List<List<Refusal>> answers = gate.promotability(questions, null, false);
        Map<PinKey, Refusal> out = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!answers.get(i).isEmpty()) {
                out.put(keys.get(i), answers.get(i).get(0));
            }
        }
        return out;
    }

    public DriftReport report() {
        return report(input());
    }

    /** The pins whose drift a commit that wrote {@code written} can have changed ({@link DriftScope#around}). */
    public DriftScope scopeAround(java.util.Collection<PinKey> written) {
        // The scope needs only the written pins (DriftScope.around looks at nothing else of the pins).
        PinSnapshot snap = snapshot.get();
        return DriftScope.around(written, base(snap, pinsAt(snap, written)));
    }

    /**
     * Drift of the pins in {@code scope} only: for them the same findings as {@link #report()}, at a cost in
     * proportion to the scope (the engine, and the gate's questions for pins behind, see only its pins).
     */
    public DriftReport report(DriftScope scope) {
        DriftInput input = withCatchUps(scoped(scope));
        return new DriftReport(input.now(), engine.compute(input).findings().stream()
                .filter(f -> scope.contains(f.key())).sorted(Comparator.comparing(DriftFinding::key, PinKey.ORDER)).toList());
    }

    /**
     * The input narrowed to {@code scope}. Its pins are looked up by key when the scope names its regions: walking
     * every pin (and copying them into the input first) was most of a look after a commit, since a look follows
     * nearly every promote.
     */
    private DriftInput scoped(DriftScope scope) {
        PinSnapshot snap = snapshot.get();
        // A scoped look filters the pins anyway: it never asks for them sorted (a new snapshot after every commit
        // would mean a new sort of every pin).
        return base(snap, scope.everyRegion() ? snap.pinsInAnyOrder() : pinsAt(snap, scope.keysNeeded())).within(scope);
    }

    private static List<Pin> pinsAt(PinSnapshot snap, java.util.Collection<PinKey> keys) {
        List<Pin> out = new ArrayList<>(keys.size());
        for (PinKey key : keys) {
            Pin pin = snap.pin(key);
            if (pin != null) {
                out.add(pin);
            }
        }
        return out;
    }

    /** Drift of an input already read (so a caller that also looks at its pins reads them once). */
    public DriftReport report(DriftInput input) {
        return engine.compute(input);
    }

    private List<Release> releases() {
        if (!releasesStale.get()) {
            return releases;
        }
        // One reader at a time: two overlapping reads could otherwise finish in the wrong order, the one begun
        // before a release was registered publishing its older list last, and nothing would mark it stale again.
        synchronized (releasesLock) {
            // Clear the flag before reading so a change committed during the read marks the next call stale.
            if (releasesStale.getAndSet(false)) {
                try {
                    releases = store.releases();
                } catch (RuntimeException e) {
                    releasesStale.set(true);
                    throw e;
                }
            }
            return releases;
        }
    }
}
