package io.lockstep.domain;

import java.time.Duration;
import java.util.List;

/**
 * How fleet reports are taken and kept (the {@code fleet} config section, read by {@code config}).
 *
 * @param instanceTtl   an instance that has not reported for this long no longer counts as running
 * @param maxClockSkew  how far in the future an {@code observed_at} may lie (instance clocks drift)
 * @param maxBatchSize  reports per request; the body limit follows from it
 * @param retention     rows older than this are deleted, so instances that went away do not pile up
 * @param instanceMemory how long the most instances seen per pin is remembered as its expected count (0: never)
 * @param expected      operators' expected instance counts, which win over the remembered ones
 */
public record FleetSettings(Duration instanceTtl, Duration maxClockSkew, int maxBatchSize, Duration retention,
                            Duration instanceMemory, List<ExpectedInstances.Configured> expected) {
    public static final int DEFAULT_MAX_BATCH = 5_000;
    public static final Duration DEFAULT_INSTANCE_MEMORY = Duration.ofHours(24);

    public FleetSettings {
        expected = List.copyOf(expected);
    }

    public FleetSettings(Duration instanceTtl, Duration maxClockSkew, int maxBatchSize, Duration retention) {
        this(instanceTtl, maxClockSkew, maxBatchSize, retention, DEFAULT_INSTANCE_MEMORY, List.of());
    }
    /** Upper bound of one report's JSON with every field at its longest, rounded up. */
    static final int MAX_REPORT_BYTES = 800;

    public static FleetSettings defaults() {
        return new FleetSettings(Duration.ofMinutes(10), Duration.ofMinutes(2), DEFAULT_MAX_BATCH, Duration.ofHours(24));
    }

    /** The configured count for one (environment, template, region), or null. */
    public Long configuredExpected(String environment, String template, String region) {
        for (ExpectedInstances.Configured c : expected) {
            if (c.environment().equals(environment) && c.template().equals(template) && c.region().equals(region)) {
                return c.instances();
            }
        }
        return null;
    }

    /**
     * How often a pin's peak is re-counted while it reports: twice per TTL, so an instance is counted at
     * least once while it is live, and at least once a minute.
     */
    public Duration peakInterval() {
        Duration half = instanceTtl.dividedBy(2);
        return half.compareTo(Duration.ofMinutes(1)) < 0 ? half : Duration.ofMinutes(1);
    }

    public int maxBodyBytes() {
        return maxBatchSize * MAX_REPORT_BYTES + 1024;
    }
}
