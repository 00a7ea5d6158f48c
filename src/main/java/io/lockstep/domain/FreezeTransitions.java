package io.lockstep.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rule of {@code freeze.started} / {@code freeze.lifted} for the freeze windows of environments' policies
 * (a stop of the line has its events from the request that makes it). Pure; time is an input. Compared with
 * the states last told:
 * <ul>
 *   <li>A window open now whose occurrence was not told (never seen, told closed, or an earlier occurrence told):
 *       {@code freeze.started} for it, after a {@code freeze.lifted} for the earlier occurrence still told open.
 *       A window first seen while open is told too: a team that adds a window that is open now learns that the
 *       environment is frozen.</li>
 *   <li>A window told open that is closed now, or no longer configured: {@code freeze.lifted}, at the end of its
 *       occurrence if that has passed, else now (the window was changed or removed early).</li>
 *   <li>A window closed now and told closed, or never told: nothing.</li>
 * </ul>
 * Events carry the environment (a window freezes the whole environment, so no group) and no actor: the clock
 * caused them.
 */
public final class FreezeTransitions {
    private FreezeTransitions() {
    }

    public static Transitions<FreezeState> between(Map<FreezeState.Key, FreezeState> known,
                                                   List<Environment> environments, Instant now) {
        List<FreezeState> save = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        Set<FreezeState.Key> configured = new HashSet<>();
        for (Environment env : environments) {
            for (FreezeWindow w : env.freezeWindows()) {
                FreezeState.Key key = new FreezeState.Key(env.name(), w.name());
                if (!configured.add(key)) {
                    continue; // names are unique per environment; the first one decides
                }
                FreezeState told = known.get(key);
                Optional<FreezeWindow.Occurrence> open = w.activeAt(now);
                if (open.isPresent()) {
                    Instant since = open.get().start().toInstant();
                    if (told != null && told.active() && since.equals(told.since())) {
                        continue;
                    }
                    if (told != null && told.active()) {
                        events.add(Events.freezeWindowLifted(told, liftedAt(told, now), "the window closed"));
                    }
                    Instant until = open.get().end().toInstant();
                    save.add(new FreezeState(env.name(), w.name(), true, since, until, now));
                    events.add(Events.freezeWindowStarted(env.name(), w, since, until));
                } else if (told != null && told.active()) {
                    save.add(closed(told, now));
                    events.add(Events.freezeWindowLifted(told, liftedAt(told, now),
                            now.isBefore(told.until()) ? "the window was changed" : "the window closed"));
                }
            }
        }
        for (FreezeState told : known.values().stream()
                .sorted(java.util.Comparator.comparing(FreezeState::environment).thenComparing(FreezeState::window))
                .toList()) {
            if (!configured.contains(told.key()) && told.active()) {
                save.add(closed(told, now));
                events.add(Events.freezeWindowLifted(told, liftedAt(told, now), "the window was removed from the policy"));
            }
        }
        return new Transitions<>(save, List.of(), events);
    }

    private static Instant liftedAt(FreezeState told, Instant now) {
        return told.until() != null && told.until().isBefore(now) ? told.until() : now;
    }

    private static FreezeState closed(FreezeState told, Instant now) {
        return new FreezeState(told.environment(), told.window(), false, told.since(), told.until(), now);
    }
}
