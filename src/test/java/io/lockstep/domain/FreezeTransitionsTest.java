package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule of freeze.started / freeze.lifted for policy windows: each occurrence opened and closed, told once. */
class FreezeTransitionsTest {
    /** Every day 22:00 to 06:00 UTC. */
    private static final FreezeWindow NIGHT = FreezeWindow.daily("night", LocalTime.of(22, 0), LocalTime.of(6, 0),
            ZoneId.of("UTC"));

    private static Environment prod(FreezeWindow... windows) {
        return Environment.named("prod").withPolicy(PromotionPolicy.frozenDuring(List.of(windows)));
    }

    /** The states after applying {@code t} to {@code known}. */
    private static Map<FreezeState.Key, FreezeState> after(Map<FreezeState.Key, FreezeState> known,
                                                           Transitions<FreezeState> t) {
        Map<FreezeState.Key, FreezeState> out = new HashMap<>(known);
        t.save().forEach(s -> out.put(s.key(), s));
        return out;
    }

    private static Instant at(String t) {
        return Instant.parse(t);
    }

    @Test
    void eachOccurrenceIsStartedAndLiftedOnceAtItsOwnTimes() {
        Map<FreezeState.Key, FreezeState> told = Map.of();
        Transitions<FreezeState> before = FreezeTransitions.between(told, List.of(prod(NIGHT)), at("2026-12-01T21:00:00Z"));
        assertThat(before.isEmpty()).as("closed and never told: nothing").isTrue();

        Transitions<FreezeState> opened = FreezeTransitions.between(told, List.of(prod(NIGHT)), at("2026-12-01T22:00:05Z"));
        assertThat(opened.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(Event.FREEZE_STARTED);
            assertThat(e.at()).as("when the window opened, not when it was seen").isEqualTo(at("2026-12-01T22:00:00Z"));
            assertThat(e.environment()).isEqualTo("prod");
            assertThat(e.group()).isNull();
            assertThat(e.actor()).as("the clock did it").isNull();
            assertThat(e.data()).containsEntry("window", "night").containsEntry("since", "2026-12-01T22:00:00Z")
                    .containsEntry("until", "2026-12-02T06:00:00Z").containsEntry("stopped_by", null);
        });
        told = after(told, opened);
        assertThat(FreezeTransitions.between(told, List.of(prod(NIGHT)), at("2026-12-02T03:00:00Z")).isEmpty())
                .as("the same occurrence is told once").isTrue();

        Transitions<FreezeState> closed = FreezeTransitions.between(told, List.of(prod(NIGHT)), at("2026-12-02T06:00:01Z"));
        assertThat(closed.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(Event.FREEZE_LIFTED);
            assertThat(e.at()).isEqualTo(at("2026-12-02T06:00:00Z"));
            assertThat(e.data()).containsEntry("window", "night").containsEntry("lift_reason", "the window closed");
        });
        told = after(told, closed);
        assertThat(FreezeTransitions.between(told, List.of(prod(NIGHT)), at("2026-12-02T12:00:00Z")).isEmpty()).isTrue();
    }

    @Test
    void aLookThatMissedTheWholeDayTellsTheOldOccurrenceLiftedAndTheNewOneStarted() {
        Map<FreezeState.Key, FreezeState> told = after(Map.of(),
                FreezeTransitions.between(Map.of(), List.of(prod(NIGHT)), at("2026-12-01T23:00:00Z")));
        Transitions<FreezeState> next = FreezeTransitions.between(told, List.of(prod(NIGHT)), at("2026-12-02T23:00:00Z"));
        assertThat(next.events()).extracting(Event::type).containsExactly(Event.FREEZE_LIFTED, Event.FREEZE_STARTED);
        assertThat(next.events()).extracting(Event::at).containsExactly(at("2026-12-02T06:00:00Z"), at("2026-12-02T22:00:00Z"));
    }

    @Test
    void aWindowRemovedOrChangedWhileOpenIsLiftedNow() {
        Instant now = at("2026-12-01T23:00:00Z");
        Map<FreezeState.Key, FreezeState> told = after(Map.of(),
                FreezeTransitions.between(Map.of(), List.of(prod(NIGHT)), now));
        Instant later = now.plusSeconds(60);
        Transitions<FreezeState> removed = FreezeTransitions.between(told, List.of(prod()), later);
        assertThat(removed.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(Event.FREEZE_LIFTED);
            assertThat(e.at()).isEqualTo(later);
            assertThat(e.data()).containsEntry("lift_reason", "the window was removed from the policy");
        });
        assertThat(after(told, removed).values()).allMatch(s -> !s.active());

        FreezeWindow evenings = FreezeWindow.daily("night", LocalTime.of(18, 0), LocalTime.of(22, 30), ZoneId.of("UTC"));
        Transitions<FreezeState> changed = FreezeTransitions.between(told, List.of(prod(evenings)), later);
        assertThat(changed.events()).singleElement().satisfies(e -> {
            assertThat(e.at()).isEqualTo(later);
            assertThat(e.data()).containsEntry("lift_reason", "the window was changed");
        });
    }
}
