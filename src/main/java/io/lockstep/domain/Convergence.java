package io.lockstep.domain;

import java.time.Instant;
import java.util.List;

/**
 * Whether the running instances of one (environment, template, region) run what is pinned.
 *
 * @param pinRegion      the region of the pin that applies (the instance region's own pin, else
 *                       {@code global}, as resolution does); null when the template has no pin
 * @param pinnedDigest   null when there is no pin: then every instance is stale
 * @param lastPromotedAt when the applicable pin last changed; instances started before it are expected to be stale
 * @param stale          instances running another digest, grouped by digest, most instances first
 * @param expected       how many instances should be running ({@link ExpectedInstances}); null: no expectation
 */
public record Convergence(String environment, String template, String region, String pinRegion,
                          String pinnedDigest, String runtimeVersion, Instant lastPromotedAt,
                          long instances, long converged, List<StaleDigest> stale,
                          ExpectedInstances.Expectation expected) {
    public Convergence {
        stale = List.copyOf(stale);
    }

    public Convergence(String environment, String template, String region, String pinRegion, String pinnedDigest,
                       String runtimeVersion, Instant lastPromotedAt, long instances, long converged,
                       List<StaleDigest> stale) {
        this(environment, template, region, pinRegion, pinnedDigest, runtimeVersion, lastPromotedAt, instances,
                converged, stale, null);
    }

    /** Instances of one stale digest, with a few instance ids to go and look at. */
    public record StaleDigest(String digest, long instances, List<String> sampleInstanceIds) {
        public StaleDigest {
            sampleInstanceIds = List.copyOf(sampleInstanceIds);
        }
    }

    public long staleInstances() {
        return instances - converged;
    }

    /** Expected instances that are not running: they count as not converged (a vanished fleet runs nothing pinned). */
    public long missingInstances() {
        return ExpectedInstances.missing(expected, instances);
    }

    /**
     * converged / (live + missing) instances; null when none is running and none is missing (nothing to
     * converge).
     */
    public Double ratio() {
        long of = instances + missingInstances();
        return of == 0 ? null : (double) converged / of;
    }

    /** Whether the pin is at or above {@code threshold} (0..1): every missing instance counts against it. */
    public boolean convergedAt(double threshold) {
        Double r = ratio();
        return r == null || r >= threshold;
    }
}
