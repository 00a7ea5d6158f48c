package io.lockstep.service.dashboard;

import io.lockstep.domain.Convergence;
import io.lockstep.domain.FleetState;
import io.lockstep.domain.PinKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutViewsTest {
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private static Convergence c(String region, String pinned, long instances, long converged) {
        List<Convergence.StaleDigest> stale = instances > converged
                ? List.of(new Convergence.StaleDigest(B, instances - converged, List.of())) : List.of();
        return new Convergence("prod", "hermes", region, pinned == null ? null : "global", pinned, "v1", T, instances,
                converged, stale);
    }

    private static FleetState told(String region, String digest, boolean converged) {
        return new FleetState(new PinKey("prod", "hermes", region), digest, converged, T);
    }

    @Test
    void theStateSpeaksAsTheFleetEvents() {
        assertThat(RolloutViews.state(c("global", A, 100, 95), null, false, 0.95)).isEqualTo(RolloutState.CONVERGED);
        assertThat(RolloutViews.state(c("global", A, 100, 94), null, false, 0.95)).isEqualTo(RolloutState.ROLLING_OUT);
        // told converged on this digest, now below: the regression being told
        assertThat(RolloutViews.state(c("global", A, 100, 50), told("global", A, true), false, 0.95))
                .isEqualTo(RolloutState.REGRESSED);
        // told not converged on this digest: a rollout, unless the last fleet.* event was a fleet.regressed for it
        assertThat(RolloutViews.state(c("global", A, 100, 50), told("global", A, false), false, 0.95))
                .isEqualTo(RolloutState.ROLLING_OUT);
        assertThat(RolloutViews.state(c("global", A, 100, 50), told("global", A, false), true, 0.95))
                .isEqualTo(RolloutState.REGRESSED);
        // told converged on the previous digest: the pin moved, a rollout (no event), not a regression
        assertThat(RolloutViews.state(c("global", A, 100, 50), told("global", B, true), false, 0.95))
                .isEqualTo(RolloutState.ROLLING_OUT);
        assertThat(RolloutViews.state(c("global", null, 3, 0), null, false, 0.95)).isEqualTo(RolloutState.NOT_PINNED);
        assertThat(RolloutViews.state(c("global", A, 0, 0), null, false, 0.95)).isEqualTo(RolloutState.NO_INSTANCES);
    }

    @Test
    void aRowSumsItsRegionsShowsTheWorstAndListsStaleRegions() {
        List<Convergence> rows = List.of(c("eu-west", A, 10, 10), c("us-east", A, 10, 4));
        RolloutView v = RolloutViews.build(new RolloutViews.Input(rows,
                Map.of(new PinKey("prod", "hermes", "us-east"), told("us-east", A, true)), Set.of(), 0.95, t -> "runtime",
                RolloutView.Filter.NONE, List.of("prod"), List.of("runtime"), List.of("hermes"), T));
        assertThat(v.rows()).hasSize(1);
        RolloutView.Row r = v.rows().get(0);
        assertThat(r.converged()).isEqualTo(14);
        assertThat(r.instances()).isEqualTo(20);
        assertThat(r.percent()).isEqualTo(70);
        assertThat(r.state()).isEqualTo(RolloutState.REGRESSED);
        assertThat(r.targets()).containsExactly("aaaaaaaaaaaa");
        assertThat(r.staleRegions()).containsExactly(new RolloutView.StaleRegion("us-east", 6,
                List.of(new RolloutView.StaleDigest("bbbbbbbbbbbb", 6))));
        assertThat(v.totals()).isEqualTo(new RolloutView.Totals(20, 14, 0));
        assertThat(v.thresholdPercent()).isEqualTo(95);

        RolloutView none = RolloutViews.build(new RolloutViews.Input(rows, Map.of(), Set.of(), 0.95, t -> "runtime",
                new RolloutView.Filter(null, "other", null), List.of("prod"), List.of("runtime"), List.of("hermes"), T));
        assertThat(none.rows()).isEmpty();
    }

    @Test
    void onlyKeysToldNotConvergedOnThePinnedDigestAndBelowAreRegressionCandidates() {
        List<Convergence> rows = List.of(c("a", A, 10, 4), c("b", A, 10, 4), c("c", A, 10, 10), c("d", A, 10, 4));
        Map<PinKey, FleetState> told = Map.of(new PinKey("prod", "hermes", "a"), told("a", A, false),
                new PinKey("prod", "hermes", "b"), told("b", B, false),
                new PinKey("prod", "hermes", "c"), told("c", A, false));
        assertThat(RolloutViews.regressionCandidates(rows, told, 0.95)).containsExactly(new PinKey("prod", "hermes", "a"));
    }
}
