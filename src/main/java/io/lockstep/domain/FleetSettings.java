package io.lockstep.domain;

import java.time.Duration;

/**
 * How fleet reports are taken and kept (the {@code fleet} config section, read by {@code config}).
 *
 * @param instanceTtl   an instance that has not reported for this long no longer counts as running
 * @param maxClockSkew  how far in the future an {@code observed_at} may lie (instance clocks drift)
 * @param maxBatchSize  reports per request; the body limit follows from it
 * @param retention     rows older than this are deleted, so instances that went away do not pile up
 */
public record FleetSettings(Duration instanceTtl, Duration maxClockSkew, int maxBatchSize, Duration retention) {
    public static final int DEFAULT_MAX_BATCH = 5_000;
    /** Upper bound of one report's JSON with every field at its longest, rounded up. */
    static final int MAX_REPORT_BYTES = 800;

    public static FleetSettings defaults() {
        return new FleetSettings(Duration.ofMinutes(10), Duration.ofMinutes(2), DEFAULT_MAX_BATCH, Duration.ofHours(24));
    }

    public int maxBodyBytes() {
        return maxBatchSize * MAX_REPORT_BYTES + 1024;
    }
}
