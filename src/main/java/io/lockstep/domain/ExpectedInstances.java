package io.lockstep.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How many instances a pin should have running, so that a fleet that vanished (destroy-then-pull
 * whose pull never came) is not mistaken for one with nothing left to replace.
 *
 * <p>An operator's number ({@code fleet.expected_instances}) wins, 0 included (a pin meant to run
 * nothing). Otherwise, when no instance is live, the most instances recently seen at once, remembered
 * for {@code fleet.instance_memory}: "had 3, now 0" is 3 missing until the memory passes. History
 * says nothing while some instances are live: an autoscaler shrinking 40 to 20 at night is not a
 * loss, and a pin that must keep a size says so in config.
 */
public final class ExpectedInstances {
    private ExpectedInstances() {
    }

    /** Where an expected count came from; shown so an operator knows whether to fix config or the fleet. */
    public enum Source {
        CONFIG, HISTORY;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The source named on the wire; null for one this reader does not know (a newer server's). */
        public static Source fromWire(String text) {
            for (Source s : values()) {
                if (s.wire().equals(text)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** An operator's expected count for one (environment, template, region). */
    public record Configured(String environment, String template, String region, long instances) {
    }

    /** The most live instances seen at once for one (environment, template, region), and when last seen that high. */
    public record Peak(long instances, Instant seenAt) {
    }

    /** What is expected and why ({@code from} null only when read from a server naming a source unknown here). */
    public record Expectation(long instances, Source from) {
    }

    /**
     * The expected count: the configured one if any; else, with no instance {@code live}, a peak still
     * within {@code memory} of {@code now} (an older one is forgotten: a pin retired on purpose stops
     * counting as missing); else none.
     */
    public static Expectation of(Long configured, Peak remembered, long live, Instant now, Duration memory) {
        if (configured != null) {
            return new Expectation(configured, Source.CONFIG);
        }
        if (live == 0 && remembered != null && remembered.instances() > 0 && !memory.isZero()
                && !remembered.seenAt().isBefore(now.minus(memory))) {
            return new Expectation(remembered.instances(), Source.HISTORY);
        }
        return null;
    }

    /** Instances expected but not running: never negative (more instances than expected are not "missing"). */
    public static long missing(Expectation expected, long live) {
        return expected == null ? 0 : Math.max(0, expected.instances() - live);
    }
}
