package io.lockstep.service.events;

import io.lockstep.domain.Convergence;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Event;
import io.lockstep.domain.FleetState;
import io.lockstep.domain.FleetTransitions;
import io.lockstep.domain.FreezeState;
import io.lockstep.domain.FreezeTransitions;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Template;
import io.lockstep.domain.Transitions;
import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.domain.drift.DriftState;
import io.lockstep.domain.drift.DriftStatus;
import io.lockstep.domain.drift.DriftTransitions;
import io.lockstep.service.Environments;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.drift.DriftService;
import io.lockstep.service.fleet.FleetService;
import io.lockstep.store.Change;
import io.lockstep.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The events nobody's write causes (issue 13): {@code drift.changed}, {@code image.gone},
 * {@code mirror.stale}, {@code fleet.converged} / {@code fleet.regressed}, and {@code freeze.started} /
 * {@code freeze.lifted} for the freeze windows of policies. Computes drift, fleet convergence and open windows on
 * a schedule (so a pin that becomes STUCK because time passed is told, and a window that opens at 16:00 is told
 * then) and drift promptly after every commit, compares them with the states last told (tables
 * {@code drift_states}, {@code fleet_states}, {@code freeze_states}) and writes the new states with their events
 * in one write transaction.
 *
 * <p>The comparison is made twice: first against a plain read, so an unchanged world costs no write (a
 * write wakes every replica); then again under the write lock, against what the transaction reads, so of
 * two replicas observing the same transition the second finds it already told and writes nothing, and a
 * restart finds what it told before.
 */
public final class ObservedEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedEvents.class);
    /** The statuses that come from this replica's registry audit, unknown until its first run. */
    private static final Set<DriftStatus> REGISTRY_SIGNALS = EnumSet.of(DriftStatus.IMAGE_GONE, DriftStatus.MIRROR_STALE);

    /** A burst of commits (200 promotes/s) costs one observation, not one each. */
    private static final long PROMPT_DELAY_MS = 250;
    /** How long the last look took, which spaces the looks after commits. */
    private volatile long lastRunMs;

    private final Store store;
    private final DriftService drift;
    private final FleetService fleet;
    private final Environments environments;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final Settings settings;
    private final BooleanSupplier registrySignalsKnown;
    /** What the commits since the last look after commits wrote, merged; null when no look is due. */
    private final java.util.concurrent.atomic.AtomicReference<Asked> pending = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong fullLooks = new java.util.concurrent.atomic.AtomicLong();

    /**
     * What the commits since the last look asked for: the pins they wrote, however many, or everything. Not a
     * {@link Change}, which turns more than {@link Change#MAX_PINS} pins into everything: under a stream of
     * promotes that made every look after commits a full one, whose length spaced the looks further apart, so
     * more pins gathered and the next look was full again (bench/README.md).
     */
    record Asked(Set<PinKey> pins, boolean everything) {
        static final Asked EVERYTHING = new Asked(Set.of(), true);

        /** What {@code commit} asks for: a commit that wrote no pin wrote something else (release, approval …). */
        static Asked of(Change commit) {
            return commit.isEverything() || commit.pins().isEmpty() ? EVERYTHING : new Asked(commit.pins(), false);
        }

        /** {@code pending} (null: none) and then {@code next}. */
        static Asked merge(Asked pending, Asked next) {
            if (pending == null) {
                return next;
            }
            if (pending.everything || next.everything) {
                return EVERYTHING;
            }
            Set<PinKey> all = new java.util.HashSet<>(pending.pins);
            all.addAll(next.pins);
            return new Asked(Set.copyOf(all), false);
        }

        /** Whether a full look is cheaper than one around these pins: when they are half of all pins or more. */
        boolean wantsFullLook(int allPins) {
            return everything || pins.size() * 2 >= Math.max(allPins, 2 * Change.MAX_PINS);
        }
    }
    /** The thread writing this observer's own states and events: its commit moves no drift, so is not looked at. */
    private volatile Thread writer;
    private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lockstep-observed-events");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param interval       how often drift and convergence are computed without a commit; zero turns the
     *                       observed events off
     * @param fleetConvergedAt the share (0..1] of a fleet running the pinned digest that counts as converged
     */
    public record Settings(Duration interval, double fleetConvergedAt) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30), 0.95);
    }

    /** The parts observed; {@code registrySignalsKnown} says whether this replica's registry audit has run. */
    public record Sources(DriftService drift, FleetService fleet, Environments environments, SnapshotHolder snapshot,
                          BooleanSupplier registrySignalsKnown) {
    }

    public ObservedEvents(Store store, Sources sources, Clock clock, Settings settings) {
        this.store = store;
        this.drift = sources.drift();
        this.fleet = sources.fleet();
        this.environments = sources.environments();
        this.snapshot = sources.snapshot();
        this.registrySignalsKnown = sources.registrySignalsKnown();
        this.clock = clock;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Starts the schedule and the run after each commit; nothing when the interval is zero. */
    public ObservedEvents start() {
        if (settings.interval().isZero()) {
            return this;
        }
        long ms = Math.max(100, settings.interval().toMillis());
        scheduler.scheduleWithFixedDelay(this::runQuietly, ms, ms, TimeUnit.MILLISECONDS);
        // Registered after the pin snapshot's listener, so the run sees the commit. Many commits in a burst
        // coalesce into one run.
        store.onChange(change -> {
            if (Thread.currentThread() == writer) {
                return;
            }
            // a commit that wrote no pin wrote something else (release, approval, policy …): merged as everything,
            // so the look it asks for stays a full one whatever pins other commits add
            if (pending.getAndAccumulate(Asked.of(change), Asked::merge) == null) {
                // A look costs in proportion to the pins it looks at, and its write holds the write lock: under a
                // stream of commits, looking again only after four times as long as the last look took keeps it to
                // a fifth of one core and of the lock, however many pins there are.
                scheduler.schedule(this::afterCommitsQuietly, Math.max(PROMPT_DELAY_MS, 4 * lastRunMs),
                        TimeUnit.MILLISECONDS);
            }
        });
        return this;
    }

    /** One observation: computes, compares and writes what changed; returns the events written. */
    public synchronized List<Event> runOnce() {
        pending.set(null); // this look covers every commit so far
        runs.incrementAndGet();
        fullLooks.incrementAndGet();
        Instant now = clock.instant();
        List<DriftFinding> findings = drift.report().findings();
        Set<DriftStatus> unvouched = registrySignalsKnown.getAsBoolean() ? Set.of() : REGISTRY_SIGNALS;
        List<Environment> envs = environments.all();
        List<Convergence> convergence = fleet.convergence(envs.stream().map(Environment::name).toList(), null);
        Map<String, String> groups = new HashMap<>();
        for (Template t : snapshot.get().templates()) {
            groups.put(t.name(), t.group() == null ? t.name() : t.group());
        }
        double threshold = settings.fleetConvergedAt();
        if (DriftTransitions.between(store.driftStates(), findings, unvouched, now).isEmpty()
                && FleetTransitions.between(store.fleetStates(), convergence, threshold, groups, now).isEmpty()
                && FreezeTransitions.between(store.freezeStates(), envs, now).isEmpty()) {
            return List.of();
        }
        return ownWrite(tx -> {
            Transitions<DriftState> d = DriftTransitions.between(tx.driftStates(), findings, unvouched, now);
            Transitions<FleetState> f = FleetTransitions.between(tx.fleetStates(), convergence, threshold, groups, now);
            d.save().forEach(tx::saveDriftState);
            d.forget().forEach(tx::forgetDriftState);
            f.save().forEach(tx::saveFleetState);
            f.forget().forEach(tx::forgetFleetState);
            Transitions<FreezeState> z = FreezeTransitions.between(tx.freezeStates(), envs, now);
            z.save().forEach(tx::saveFreezeState);
            return java.util.stream.Stream.of(d.events(), f.events(), z.events()).flatMap(List::stream)
                    .map(tx::appendEvent).toList();
        });
    }

    /**
     * The look after commits that wrote {@code written} (and nothing else that moves drift): the same comparison
     * as {@link #runOnce}, but only for the pins whose drift those writes can have changed
     * ({@link DriftService#scopeAround}: every environment × the written templates' groups × the written regions),
     * so its cost follows the write, not the number of pins. Pins outside the scope are neither compared nor
     * written: whatever moved them without a pin write (the clock, the registry audit, a remote upstream) is the
     * scheduled look's.
     *
     * <p>Fleet convergence is not looked at here. Fleet reports fire no change, so the fleet's side of it is seen
     * by the schedule only, as before; a promote's side is, by the rule of {@link FleetTransitions}, a silent new
     * digest unless the fleet already runs it, which the next scheduled look tells just the same (the state last
     * told is still the previous digest's).
     */
    public synchronized List<Event> runAfter(java.util.Collection<io.lockstep.domain.PinKey> written) {
        runs.incrementAndGet();
        Instant now = clock.instant();
        io.lockstep.domain.drift.DriftScope scope = drift.scopeAround(written);
        List<DriftFinding> findings = drift.report(scope).findings();
        Set<DriftStatus> unvouched = registrySignalsKnown.getAsBoolean() ? Set.of() : REGISTRY_SIGNALS;
        if (DriftTransitions.between(store.driftStates(scope), findings, unvouched, now).isEmpty()) {
            return List.of();
        }
        return ownWrite(tx -> {
            Transitions<DriftState> d = DriftTransitions.between(tx.driftStates(scope), findings, unvouched, now);
            d.save().forEach(tx::saveDriftState);
            d.forget().forEach(tx::forgetDriftState);
            return d.events().stream().map(tx::appendEvent).toList();
        });
    }

    private List<Event> ownWrite(java.util.function.Function<io.lockstep.store.StoreTx, List<Event>> work) {
        writer = Thread.currentThread();
        try {
            return store.write(work);
        } finally {
            writer = null;
        }
    }

    /** The look the commits since the last one ask for: a full one unless they only wrote pins. */
    private void afterCommitsQuietly() {
        lookAfterCommits(pending.getAndSet(null));
    }

    /** The look {@code asked} (null: a full look ran meanwhile) calls for. */
    void lookAfterCommits(Asked asked) {
        if (asked == null) {
            return;
        }
        if (asked.wantsFullLook(snapshot.get().pinCount())) {
            runQuietly();
            return;
        }
        long started = System.nanoTime();
        try {
            runAfter(asked.pins());
        } catch (RuntimeException e) {
            LOG.warn("observed events: could not compare drift after a commit, retrying later: {}", e.getMessage());
        } finally {
            lastRunMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }
    }

    /** Full looks started so far (scheduled, after commits and asked for). */
    long fullLooks() {
        return fullLooks.get();
    }

    /** Observations started so far (scheduled, after commits and asked for), for tests waiting on the schedule. */
    public long runs() {
        return runs.get();
    }

    /** {@link #runOnce} for the schedule: a failure is logged, never thrown, so the schedule keeps running. */
    private void runQuietly() {
        long started = System.nanoTime();
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("observed events: could not compare drift and fleet convergence, retrying later: {}",
                    e.getMessage());
        } finally {
            lastRunMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
