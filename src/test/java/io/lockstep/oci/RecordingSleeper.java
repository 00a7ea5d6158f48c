package io.lockstep.oci;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Sleeper} that records requested waits and advances a fake monotonic clock instead of sleeping. */
final class RecordingSleeper implements Sleeper {

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        nanos.addAndGet(duration.toNanos());
    }

    long nanoTime() {
        return nanos.get();
    }

    Duration total() {
        return waits.stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** Timing whose monotonic clock only moves when this sleeper "sleeps"; jitter fixed at {@code jitter}. */
    RegistryTiming timing(double jitter) {
        return new RegistryTiming(this::nanoTime, java.time.Clock.systemUTC(), this, () -> jitter);
    }
}
