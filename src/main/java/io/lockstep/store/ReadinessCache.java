package io.lockstep.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The store's readiness as {@code /readyz} reports it, answered from memory so that a flood of
 * unauthenticated probes never queues behind the database. A stale answer (older than
 * {@link #MAX_AGE_NANOS}) starts one background probe; callers never wait for it. A probe that has
 * not answered within {@link #PROBE_TIMEOUT_NANOS} makes the store not ready. Write outcomes update
 * the answer at once: a write that failed for an infrastructure reason makes the store not ready
 * until a later write or probe succeeds.
 */
final class ReadinessCache implements AutoCloseable {
    static final long MAX_AGE_NANOS = 1_000_000_000L;
    static final long PROBE_TIMEOUT_NANOS = 2_000_000_000L;

    private final Supplier<Readiness> probe;
    private final LongSupplier nanoTime;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lockstep-readiness-probe");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Bumped by every observation, so a probe that started before a write's outcome cannot overwrite it. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Readiness current = Readiness.READY;
    private volatile long observedAt;
    private volatile long probeStartedAt;

    ReadinessCache(Supplier<Readiness> probe, LongSupplier nanoTime) {
        this.probe = probe;
        this.nanoTime = nanoTime;
        this.observedAt = nanoTime.getAsLong();
    }

    Readiness get() {
        long now = nanoTime.getAsLong();
        if (probing.get()) {
            if (now - probeStartedAt > PROBE_TIMEOUT_NANOS) {
                return new Readiness(false, StoreUnavailableException.Reason.UNAVAILABLE.code(),
                        "the database did not answer the readiness probe within "
                                + PROBE_TIMEOUT_NANOS / 1_000_000_000L + " s");
            }
        } else if (now - observedAt > MAX_AGE_NANOS && probing.compareAndSet(false, true)) {
            probeStartedAt = now;
            long startedGeneration = generation.get();
            try {
                prober.execute(() -> runProbe(startedGeneration));
            } catch (RejectedExecutionException e) {
                probing.set(false); // closing
            }
        }
        return current;
    }

    /** The last known answer, without starting a probe (the store asks it to pick the kind of probe). */
    Readiness last() {
        return current;
    }

    void observed(Readiness readiness) {
        generation.incrementAndGet();
        current = readiness;
        observedAt = nanoTime.getAsLong();
    }

    private void runProbe(long startedGeneration) {
        try {
            Readiness r = probe.get();
            if (generation.compareAndSet(startedGeneration, startedGeneration + 1)) {
                current = r;
            }
            observedAt = nanoTime.getAsLong();
        } finally {
            probing.set(false);
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
