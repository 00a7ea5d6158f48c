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
 */
public record Convergence(String environment, String template, String region, String pinRegion,
                          String pinnedDigest, String runtimeVersion, Instant lastPromotedAt,
                          long instances, long converged, List<StaleDigest> stale) {
    public Convergence {
        stale = List.copyOf(stale);
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

    /** converged / instances; null when no instance is running (nothing to converge). */
    public Double ratio() {
        return instances == 0 ? null : (double) converged / instances;
    }
}
