package io.lockstep.fleet;

import io.lockstep.config.ConfigException;
import io.lockstep.config.ConfigNode;
import io.lockstep.config.LockstepConfig;

import java.time.Duration;

/**
 * The {@code fleet} config section.
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

    public static FleetSettings from(LockstepConfig config) {
        ConfigNode fleet = config.root().get("fleet");
        Duration skew = fleet.duration("max_clock_skew", Duration.ofMinutes(2));
        int batch = fleet.integer("max_batch_size", DEFAULT_MAX_BATCH, 1, 50_000);
        Duration retention = fleet.duration("retention", Duration.ofHours(24));
        if (config.instanceTtl().isZero() || config.instanceTtl().isNegative()) {
            throw new ConfigException("fleet.instance_ttl", "must be longer than zero");
        }
        if (retention.compareTo(config.instanceTtl()) < 0) {
            throw new ConfigException("fleet.retention", "must be at least fleet.instance_ttl ("
                    + config.instanceTtl() + ")");
        }
        return new FleetSettings(config.instanceTtl(), skew, batch, retention);
    }

    public int maxBodyBytes() {
        return maxBatchSize * MAX_REPORT_BYTES + 1024;
    }
}
