package io.lockstep.service.dashboard;

import io.lockstep.domain.Convergence;
import io.lockstep.domain.Event;
import io.lockstep.domain.EventFilter;
import io.lockstep.domain.FleetState;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Template;
import io.lockstep.service.PinSnapshot;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.events.EventFeed;
import io.lockstep.service.fleet.FleetService;
import io.lockstep.store.Store;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what the Rollout page shows: {@link FleetService#convergence} (the API's numbers), the fleet states last
 * told, and, only when a fleet below the threshold may have been told regressed, the newest {@code fleet.*}
 * events (a bounded backward scan of the outbox) to tell a regression from a rollout.
 */
public final class Rollouts {
    /** fleet.* events read back at most; an older regression then shows as rolling out. */
    private static final int FLEET_EVENTS = 500;

    private final FleetService fleet;
    private final Store store;
    private final EventFeed feed;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final double threshold;

    public Rollouts(FleetService fleet, Store store, EventFeed feed, SnapshotHolder snapshot, Clock clock,
                    double threshold) {
        this.fleet = fleet;
        this.store = store;
        this.feed = feed;
        this.snapshot = snapshot;
        this.clock = clock;
        this.threshold = threshold;
    }

    /**
     * @param visible the environments the caller may see, in configuration order (already narrowed to the
     *                filter's environment, which the caller checked)
     */
    public RolloutView view(List<String> visible, List<String> choices, RolloutView.Filter filter) {
        PinSnapshot snap = snapshot.get();
        List<Convergence> convergence = fleet.convergence(visible, filter.template());
        Map<PinKey, FleetState> told = store.fleetStates();
        Set<PinKey> regressions = regressionsTold(RolloutViews.regressionCandidates(convergence, told, threshold),
                told, Set.copyOf(choices));
        Map<String, String> groups = new HashMap<>();
        TreeSet<String> groupChoices = new TreeSet<>();
        TreeSet<String> templateChoices = new TreeSet<>();
        for (Template t : snap.templates()) {
            String group = t.group() == null ? t.name() : t.group(); // a template in no group is its own, as on the matrix
            groups.put(t.name(), group);
            groupChoices.add(group);
            templateChoices.add(t.name());
        }
        return RolloutViews.build(new RolloutViews.Input(convergence, told, regressions, threshold,
                t -> groups.getOrDefault(t, t), filter, choices, List.copyOf(groupChoices),
                List.copyOf(templateChoices), clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    }

    /** Of {@code candidates}, those whose newest fleet.* event is a fleet.regressed for the digest last told. */
    private Set<PinKey> regressionsTold(List<PinKey> candidates, Map<PinKey, FleetState> told, Set<String> envs) {
        if (candidates.isEmpty()) {
            return Set.of();
        }
        Set<PinKey> open = new HashSet<>(candidates);
        Set<PinKey> out = new HashSet<>();
        EventFeed.Backward page = feed.newestFirst(null, FLEET_EVENTS, new EventFilter(
                Set.of(Event.FLEET_CONVERGED, Event.FLEET_REGRESSED), null, null, envs));
        for (Event e : page.events()) {
            PinKey key = new PinKey(e.environment(), e.template(), e.region());
            if (open.remove(key) && Event.FLEET_REGRESSED.equals(e.type())
                    && told.get(key).digest().equals(e.data().get("digest"))) {
                out.add(key);
            }
        }
        return out;
    }
}
