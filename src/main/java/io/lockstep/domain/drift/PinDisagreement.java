package io.lockstep.domain.drift;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One (template, region) whose pins differ between locations that should agree.
 *
 * @param peer      the name the compared environments share (e.g. {@code prod})
 * @param digests   location ({@code environment@target}) → pinned digest, for every location that has a pin
 * @param missingAt locations of the peer set with no pin for this template and region
 */
public record PinDisagreement(String peer, String template, String region, Map<String, String> digests,
                              List<String> missingAt, String explanation) {
    public PinDisagreement {
        digests = Map.copyOf(digests);
        missingAt = List.copyOf(missingAt);
    }

    /** {@link #digests} in location order, for stable output. */
    public Map<String, String> sortedDigests() {
        return new TreeMap<>(digests);
    }
}
