package io.lockstep.domain.drift;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.lockstep.domain.drift.DriftStatus.CURRENT;
import static io.lockstep.domain.drift.DriftStatus.IN_FLIGHT;
import static io.lockstep.domain.drift.DriftStatus.SPLIT;
import static io.lockstep.domain.drift.DriftStatus.STUCK;
import static io.lockstep.domain.drift.Fixture.T43;
import static io.lockstep.domain.drift.Fixture.digest;
import static io.lockstep.domain.drift.Fixture.find;
import static io.lockstep.domain.drift.Fixture.pin;
import static io.lockstep.domain.drift.Fixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Acceptance text of issue 4, replayed on the engine alone. */
class SeedIncidentTest {

    @Test
    void laggingMemberIsSplitInBothEnvironmentsInsideTheGracePeriod() {
        DriftReport report = run(Fixture.seed(T43.plus(Duration.ofMinutes(5))));

        for (String env : List.of("staging", "prod")) {
            DriftFinding agent = find(report, env, "platform-agent");
            assertThat(agent.status()).isEqualTo(SPLIT);
            assertThat(agent.flags()).containsExactly(IN_FLIGHT);
            assertThat(agent.currentRuntimeVersion()).isEqualTo("v0.3.40");
            assertThat(agent.newestRuntimeVersion()).isEqualTo("v0.3.43");
            assertThat(agent.releasesBehind()).isEqualTo(1);
            assertThat(agent.behindSince()).isEqualTo(T43);
            assertThat(agent.explanation()).isEqualTo("platform-agent in " + env
                    + " is on v0.3.40 while the rest of group runtime (claude-code) is on v0.3.43;"
                    + " promote release v0.3.43 (1 release behind since 2026-06-21T10:19:30Z).");

            DriftFinding claude = find(report, env, "claude-code");
            assertThat(claude.status()).isEqualTo(CURRENT);
            assertThat(claude.flags()).isEmpty();
        }
    }

    @Test
    void afterTheGracePeriodTheLaggingMemberIsStuckOneReleaseBehindAndStillFlaggedSplit() {
        DriftReport report = run(Fixture.seed(T43.plus(Duration.ofMinutes(31))));

        for (String env : List.of("staging", "prod")) {
            DriftFinding agent = find(report, env, "platform-agent");
            assertThat(agent.status()).isEqualTo(STUCK);
            assertThat(agent.flags()).containsExactly(SPLIT);
            assertThat(agent.releasesBehind()).isEqualTo(1);
            assertThat(agent.explanation()).contains("1 release behind since 2026-06-21T10:19:30Z")
                    .contains("while the rest of group runtime (claude-code) is on v0.3.43")
                    .endsWith("promote release v0.3.43.");
        }
    }

    @Test
    void failOnStuckWaitsForTheGracePeriodButFailOnSplitDoesNot() {
        DriftReport early = run(Fixture.seed(T43.plus(Duration.ofMinutes(5))));
        DriftReport late = run(Fixture.seed(T43.plus(Duration.ofHours(2))));

        assertThat(early.matches(EnumSet.of(SPLIT))).isTrue();
        assertThat(early.matches(EnumSet.of(STUCK))).isFalse();
        assertThat(late.matches(EnumSet.of(STUCK))).isTrue();
        assertThat(late.matches(EnumSet.of(SPLIT))).isTrue();
        assertThat(late.matching(DriftStatus.parseList("stuck,split")))
                .extracting(DriftFinding::template).containsOnly("platform-agent");
    }

    @Test
    void afterPublishingTheReleaseEverythingIsCurrentAndNothingMatches() {
        List<io.lockstep.domain.Pin> pins = new ArrayList<>();
        for (String env : List.of("staging", "prod")) {
            pins.add(pin(env, "claude-code", digest("cc-43")));
            pins.add(pin(env, "platform-agent", digest("pa-43")));
        }
        DriftInput input = Fixture.seed(T43.plus(Duration.ofHours(2)));
        DriftReport report = run(new DriftInput(input.templates(), input.environments(), pins, input.releases(),
                input.now(), null, null));

        assertThat(report.findings()).hasSize(4).allSatisfy(f -> assertThat(f.status()).isEqualTo(CURRENT));
        assertThat(report.matches(Set.of(STUCK, SPLIT, DriftStatus.MISSING))).isFalse();
    }

    @Test
    void nonPinnableMemberOfTheGroupIsNotReported() {
        DriftReport report = run(Fixture.seed(T43));

        assertThat(report.findings()).extracting(DriftFinding::template).doesNotContain("builder");
        assertThat(report.findings()).hasSize(4);
    }
}
