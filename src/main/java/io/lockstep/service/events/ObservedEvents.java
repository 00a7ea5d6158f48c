package io.lockstep.service.events;

import io.lockstep.domain.Convergence;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Event;
import io.lockstep.domain.FleetState;
import io.lockstep.domain.FleetTransitions;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The events nobody's write causes (issue 13): {@code drift.changed}, {@code image.gone},
 * {@code mirror.stale}, {@code fleet.converged} / {@code fleet.regressed}. Computes drift and fleet
 * convergence on a schedule (so a pin that becomes STUCK because time passed is told) and promptly
 * after every commit, compares them with the states last told (tables {@code drift_states},
 * {@code fleet_states}) and writes the new states with their events in one write transaction.
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
    private final AtomicBoolean runRequested = new AtomicBoolean();
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
            if (runRequested.compareAndSet(false, true)) {
                // A look costs in proportion to the pins, and its write holds the write lock: under a stream of
                // commits, looking again only after four times as long as the last look took keeps it to a
                // fifth of one core and of the lock, however many pins there are.
                scheduler.schedule(this::runQuietly, Math.max(PROMPT_DELAY_MS, 4 * lastRunMs), TimeUnit.MILLISECONDS);
            }
        });
        return this;
    }

    /** One observation: computes, compares and writes what changed; returns the events written. */
    public synchronized List<Event> runOnce() {
        runRequested.set(false);
        runs.incrementAndGet();
        Instant now = clock.instant();
        List<DriftFinding> findings = drift.report().findings();
        Set<DriftStatus> unvouched = registrySignalsKnown.getAsBoolean() ? Set.of() : REGISTRY_SIGNALS;
        List<Convergence> convergence = fleet.convergence(environments.all().stream().map(Environment::name).toList(),
                null);
        Map<String, String> groups = new HashMap<>();
        for (Template t : snapshot.get().templates()) {
            groups.put(t.name(), t.group() == null ? t.name() : t.group());
        }
        double threshold = settings.fleetConvergedAt();
        if (DriftTransitions.between(store.driftStates(), findings, unvouched, now).isEmpty()
                && FleetTransitions.between(store.fleetStates(), convergence, threshold, groups, now).isEmpty()) {
            return List.of();
        }
        return store.write(tx -> {
            Transitions<DriftState> d = DriftTransitions.between(tx.driftStates(), findings, unvouched, now);
            Transitions<FleetState> f = FleetTransitions.between(tx.fleetStates(), convergence, threshold, groups, now);
            d.save().forEach(tx::saveDriftState);
            d.forget().forEach(tx::forgetDriftState);
            f.save().forEach(tx::saveFleetState);
            f.forget().forEach(tx::forgetFleetState);
            return java.util.stream.Stream.concat(d.events().stream(), f.events().stream()).map(tx::appendEvent)
                    .toList();
        });
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
