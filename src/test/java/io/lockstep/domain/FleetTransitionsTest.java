package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure rule of fleet.converged / fleet.regressed: once per crossing of the threshold, per digest. */
class FleetTransitionsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final PinKey KEY = new PinKey("prod", "claude-code", "global");
    private static final String OLD = "sha256:" + "a".repeat(64);
    private static final String NEW = "sha256:" + "b".repeat(64);
    private static final Map<String, String> GROUPS = Map.of("claude-code", "runtime");

    private static Convergence running(String pinned, long instances, long converged) {
        return new Convergence("prod", "claude-code", "global", "global", pinned, "v2", T0, instances, converged, List.of());
    }

    private static Transitions<FleetState> observe(FleetState known, Convergence now) {
        return FleetTransitions.between(known == null ? Map.of() : Map.of(KEY, known), List.of(now), 0.95, GROUPS, T0);
    }

    @Test
    void firstSightIsRecordedSilently() {
        Transitions<FleetState> t = observe(null, running(NEW, 10, 10));
        assertThat(t.events()).isEmpty();
        assertThat(t.save()).containsExactly(new FleetState(KEY, NEW, true, T0));
    }

    @Test
    void crossingUpwardIsConvergedWithTheShareAndThreshold() {
        Transitions<FleetState> t = observe(new FleetState(KEY, NEW, false, T0), running(NEW, 20, 19));
        assertThat(t.events()).hasSize(1);
        Event e = t.events().get(0);
        assertThat(e.type()).isEqualTo(Event.FLEET_CONVERGED);
        assertThat(e.group()).isEqualTo("runtime");
        assertThat(e.data()).containsEntry("digest", NEW).containsEntry("ratio", 0.95).containsEntry("threshold", 0.95)
                .containsEntry("instances", 20L).containsEntry("converged_instances", 19L);
    }

    @Test
    void justBelowTheThresholdIsNotConverged() {
        assertThat(observe(new FleetState(KEY, NEW, false, T0), running(NEW, 100, 94)).isEmpty()).isTrue();
    }

    @Test
    void crossingDownwardOnTheSameDigestIsRegressed() {
        Transitions<FleetState> t = observe(new FleetState(KEY, NEW, true, T0), running(NEW, 10, 8));
        assertThat(t.events()).extracting(Event::type).containsExactly(Event.FLEET_REGRESSED);
        assertThat(t.save()).containsExactly(new FleetState(KEY, NEW, false, T0));
    }

    @Test
    void stayingOnOneSideIsNoChange() {
        assertThat(observe(new FleetState(KEY, NEW, true, T0), running(NEW, 10, 10)).isEmpty()).isTrue();
        assertThat(observe(new FleetState(KEY, NEW, false, T0), running(NEW, 10, 1)).isEmpty()).isTrue();
    }

    @Test
    void aPromoteToANewDigestIsARolloutNotARegression() {
        Transitions<FleetState> t = observe(new FleetState(KEY, OLD, true, T0), running(NEW, 10, 0));
        assertThat(t.events()).isEmpty();
        assertThat(t.save()).containsExactly(new FleetState(KEY, NEW, false, T0));
    }

    @Test
    void aNewDigestTheFleetAlreadyRunsIsConverged() {
        Transitions<FleetState> t = observe(new FleetState(KEY, OLD, true, T0), running(NEW, 10, 10));
        assertThat(t.events()).extracting(Event::type).containsExactly(Event.FLEET_CONVERGED);
    }

    @Test
    void nothingToMeasureKeepsTheStateLastTold() {
        assertThat(observe(new FleetState(KEY, NEW, true, T0), running(NEW, 0, 0)).isEmpty()).isTrue();
        assertThat(observe(new FleetState(KEY, NEW, true, T0), running(null, 5, 0)).isEmpty()).isTrue();
    }

    @Test
    void aKeyNoLongerObservedIsForgottenSilently() {
        Transitions<FleetState> t = FleetTransitions.between(Map.of(KEY, new FleetState(KEY, NEW, true, T0)), List.of(),
                0.95, GROUPS, T0);
        assertThat(t.forget()).containsExactly(KEY);
        assertThat(t.events()).isEmpty();
    }
}
