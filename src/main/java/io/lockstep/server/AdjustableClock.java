package io.lockstep.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock, optionally shifted or frozen. The demo uses it to seed a believable past;
 * tests use it to cross a drift grace period without sleeping.
 */
public final class AdjustableClock extends Clock {
    private final AtomicReference<Instant> frozen = new AtomicReference<>();
    private volatile Duration offset = Duration.ZERO;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant f = frozen.get();
        return f != null ? f : Instant.now().plus(offset);
    }

    /** Freezes time at {@code at} (null returns to the running clock). */
    public void freezeAt(Instant at) {
        frozen.set(at);
    }

    /** Where time is frozen, or null while it runs. */
    public Instant frozenAt() {
        return frozen.get();
    }

    /** Runs the clock {@code by} ahead of real time. */
    public void advance(Duration by) {
        Instant f = frozen.get();
        if (f != null) {
            frozen.set(f.plus(by));
        } else {
            offset = offset.plus(by);
        }
    }
}
