package io.lockstep.domain.drift;

import io.lockstep.domain.Event;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Transitions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule of {@code drift.changed}, {@code image.gone} and {@code mirror.stale}: compares the drift
 * computed now with the state last told, per pin. Pure; time is an input.
 *
 * <ul>
 *   <li>A pin seen for the first time (no state yet: the first run on a store, a new pin) is recorded
 *       without an event: its status is not a change, and a first run on a big store must not flood
 *       every subscriber with the whole current drift.</li>
 *   <li>A change of the primary status or of the flags is one {@code drift.changed}; gaining
 *       {@code IMAGE_GONE} (as status or flag) is also an {@code image.gone}, gaining {@code MIRROR_STALE}
 *       a {@code mirror.stale}. A change of the explanation alone (its "for 12m" grows every run) is not
 *       a change.</li>
 *   <li>{@code unvouched}: statuses this observer cannot tell right now (the registry signals of a replica
 *       whose first audit has not run yet): for them the state last told stands, so a restart does not
 *       tell "the image is back" and then "the image is gone" again.</li>
 *   <li>A pin no longer in the drift (template or pin deleted) is forgotten without an event.</li>
 * </ul>
 */
public final class DriftTransitions {
    private DriftTransitions() {
    }

    public static Transitions<DriftState> between(Map<PinKey, DriftState> known, List<DriftFinding> findings,
                                                  Set<DriftStatus> unvouched, Instant now) {
        List<DriftState> save = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        Set<PinKey> seen = new HashSet<>();
        for (DriftFinding f : findings) {
            seen.add(f.key());
            DriftState before = known.get(f.key());
            Set<DriftStatus> applies = EnumSet.of(f.status());
            applies.addAll(f.flags());
            if (before != null) {
                applies.removeAll(unvouched);
                for (DriftStatus s : unvouched) {
                    if (before.has(s)) {
                        applies.add(s);
                    }
                }
            }
            DriftStatus status = DriftStatus.primaryOf(applies);
            Set<DriftStatus> flags = EnumSet.copyOf(applies);
            flags.remove(status);
            flags.remove(DriftStatus.CURRENT);
            DriftState after = new DriftState(f.key(), status, flags, f.explanation(), now);
            if (before == null) {
                save.add(after);
                continue;
            }
            if (before.all().equals(after.all()) && before.status() == after.status()) {
                continue;
            }
            save.add(after);
            events.add(DriftEvents.driftChanged(before, after, f, now));
            if (after.has(DriftStatus.IMAGE_GONE) && !before.has(DriftStatus.IMAGE_GONE)) {
                events.add(DriftEvents.observedFlag(Event.IMAGE_GONE, f, now));
            }
            if (after.has(DriftStatus.MIRROR_STALE) && !before.has(DriftStatus.MIRROR_STALE)) {
                events.add(DriftEvents.observedFlag(Event.MIRROR_STALE, f, now));
            }
        }
        List<PinKey> forget = known.keySet().stream().filter(k -> !seen.contains(k)).sorted(
                java.util.Comparator.comparing(PinKey::environment).thenComparing(PinKey::template)
                        .thenComparing(PinKey::region)).toList();
        return new Transitions<>(save, forget, events);
    }
}
