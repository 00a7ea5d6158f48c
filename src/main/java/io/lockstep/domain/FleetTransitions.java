package io.lockstep.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule of {@code fleet.converged} / {@code fleet.regressed}: per (environment, template, instance
 * region), whether the share of the fleet running the pinned digest is at or above {@code threshold},
 * compared with the state last told. Pure; time is an input.
 *
 * <ul>
 *   <li>First sight (no state yet) is recorded without an event, as for drift.</li>
 *   <li>Same digest, crossing upward: {@code fleet.converged}; downward: {@code fleet.regressed}.</li>
 *   <li>The pin moved to another digest: the new digest's state is recorded; reaching the threshold
 *       with it is a {@code fleet.converged}, not reaching it yet is silent (a promote always leaves
 *       the fleet behind for a while; that is a rollout, not a regression).</li>
 *   <li>Nothing to measure (no pin, or no instance running nor missing): the state last told stands.</li>
 *   <li>A key no longer in the convergence (pin and instances gone) is forgotten without an event.</li>
 * </ul>
 */
public final class FleetTransitions {
    private FleetTransitions() {
    }

    public static Transitions<FleetState> between(Map<PinKey, FleetState> known, List<Convergence> now,
                                                  double threshold, Map<String, String> groupOfTemplate, Instant at) {
        List<FleetState> save = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        Set<PinKey> seen = new HashSet<>();
        for (Convergence c : now) {
            PinKey key = new PinKey(c.environment(), c.template(), c.region());
            seen.add(key);
            if (c.pinnedDigest() == null || c.ratio() == null) {
                continue;
            }
            boolean converged = c.ratio() >= threshold;
            FleetState before = known.get(key);
            FleetState after = new FleetState(key, c.pinnedDigest(), converged, at);
            if (before != null && before.digest().equals(after.digest()) && before.converged() == converged) {
                continue;
            }
            save.add(after);
            boolean sameDigest = before != null && before.digest().equals(after.digest());
            if (before != null && (converged || sameDigest)) {
                events.add(Events.fleetCrossed(c, converged, threshold, groupOfTemplate.get(c.template()), at));
            }
        }
        List<PinKey> forget = known.keySet().stream().filter(k -> !seen.contains(k)).sorted(
                java.util.Comparator.comparing(PinKey::environment).thenComparing(PinKey::template)
                        .thenComparing(PinKey::region)).toList();
        return new Transitions<>(save, forget, events);
    }
}
