package io.lockstep.domain.drift;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every finding of one drift computation, in environment order, then template, then region. */
public record DriftReport(Instant computedAt, List<DriftFinding> findings) {
    public DriftReport {
        findings = List.copyOf(findings);
    }

    /** True when any finding's status or flags intersect {@code failOn}; an empty set never matches. */
    public boolean matches(Set<DriftStatus> failOn) {
        return findings.stream().anyMatch(f -> f.matches(failOn));
    }

    /** The findings that {@link #matches} would fail on, for naming them in CLI output. */
    public List<DriftFinding> matching(Set<DriftStatus> failOn) {
        return findings.stream().filter(f -> f.matches(failOn)).toList();
    }

    public DriftReport forEnvironment(String environment) {
        return new DriftReport(computedAt, findings.stream().filter(f -> f.environment().equals(environment)).toList());
    }

    /** The findings of {@code environments} only. */
    public DriftReport forEnvironments(Collection<String> environments) {
        Set<String> keep = Set.copyOf(environments);
        return new DriftReport(computedAt, findings.stream().filter(f -> keep.contains(f.environment())).toList());
    }

    /** Count of findings per primary status; every status is present (zero when none) so metrics see all of them. */
    public Map<DriftStatus, Integer> countsByStatus() {
        Map<DriftStatus, Integer> counts = new EnumMap<>(DriftStatus.class);
        for (DriftStatus s : DriftStatus.values()) {
            counts.put(s, 0);
        }
        for (DriftFinding f : findings) {
            counts.merge(f.status(), 1, Integer::sum);
        }
        return counts;
    }
}
