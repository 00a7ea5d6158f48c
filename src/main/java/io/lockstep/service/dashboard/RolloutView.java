package io.lockstep.service.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * What the Rollout page shows: per (environment, template) how much of the fleet runs the pinned digest, summed
 * over the instance regions exactly as {@code GET /api/v1/fleet/convergence} counts them, and where the stale
 * instances are. Built by {@link RolloutViews#build}; no HTML here.
 *
 * @param thresholdPercent {@code events.fleet_converged_at} as a percentage: at or above it a fleet is converged
 */
public record RolloutView(List<Row> rows, Filter filter, List<String> environmentChoices, List<String> groupChoices,
                          List<String> templateChoices, int thresholdPercent, Totals totals, Instant computedAt) {

    /** The filters of the page's GET form; null means "any". */
    public record Filter(String environment, String group, String template) {
        public static final Filter NONE = new Filter(null, null, null);
    }

    /** The sums over the shown rows, as the API's {@code totals}. */
    public record Totals(long instances, long converged, long missing) {
    }

    /**
     * One (environment, template). {@code converged}/{@code instances}/{@code missing} are the API's numbers summed
     * over regions; {@code percent} is converged / (live + missing), null when nothing runs or is missing;
     * {@code targets} the short pinned digests (more than one when regions have their own pins).
     */
    public record Row(String environment, String template, String group, RolloutState state, long converged,
                      long instances, long missing, Integer percent, List<String> targets, String runtimeVersion,
                      List<StaleRegion> staleRegions) {
        /** The progress bar's denominator: every instance that should run the pin, missing ones included. */
        public long of() {
            return instances + missing;
        }

        public String pinPath() {
            return "/pins/" + environment + "/" + template;
        }
    }

    /** The stale instances of one region: how many, and which digests they still run (short, most first). */
    public record StaleRegion(String region, long instances, List<StaleDigest> digests) {
    }

    public record StaleDigest(String shortDigest, long instances) {
    }
}
