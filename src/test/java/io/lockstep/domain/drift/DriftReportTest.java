package io.lockstep.domain.drift;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.lockstep.domain.drift.DriftStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

class DriftReportTest {
    private static final Instant NOW = Instant.parse("2026-06-22T00:00:00Z");

    private static DriftFinding finding(String env, String template, DriftStatus status, Set<DriftStatus> flags) {
        return new DriftFinding(env, template, "global", "runtime", status, flags, null, null, null, null, null, 0,
                null, null, template + " in " + env + ".");
    }

    private final DriftReport report = new DriftReport(NOW, List.of(
            finding("staging", "claude-code", CURRENT, Set.of()),
            finding("staging", "platform-agent", STUCK, Set.of(SPLIT)),
            finding("prod", "claude-code", CURRENT, Set.of()),
            finding("prod", "platform-agent", HELD, Set.of(STUCK, AHEAD_OF_UPSTREAM)),
            finding("prod", "hermes", MISSING, Set.of())));

    @Test
    void matchesPrimaryStatusOrFlags() {
        assertThat(report.matches(EnumSet.of(SPLIT))).isTrue();
        assertThat(report.matches(EnumSet.of(AHEAD_OF_UPSTREAM))).isTrue();
        assertThat(report.matches(EnumSet.of(MISSING))).isTrue();
        assertThat(report.matches(EnumSet.of(UNKNOWN, IMAGE_GONE))).isFalse();
        assertThat(report.matches(Set.of())).isFalse();
    }

    @Test
    void matchingListsTheFindingsToName() {
        assertThat(report.matching(EnumSet.of(STUCK))).extracting(f -> f.environment() + "/" + f.template())
                .containsExactly("staging/platform-agent", "prod/platform-agent");
    }

    @Test
    void filtersByEnvironment() {
        DriftReport prod = report.forEnvironment("prod");

        assertThat(prod.findings()).hasSize(3).allSatisfy(f -> assertThat(f.environment()).isEqualTo("prod"));
        assertThat(prod.computedAt()).isEqualTo(NOW);
        assertThat(report.forEnvironment("dev").findings()).isEmpty();
    }

    @Test
    void countsPrimaryStatusesWithZeroForTheRest() {
        assertThat(report.countsByStatus())
                .hasSize(DriftStatus.values().length)
                .containsEntry(CURRENT, 2).containsEntry(STUCK, 1).containsEntry(HELD, 1).containsEntry(MISSING, 1)
                .containsEntry(SPLIT, 0).containsEntry(IN_FLIGHT, 0);
    }

    @Test
    void findingFlagsAreImmutableAndKeyIsThePinKey() {
        DriftFinding f = report.findings().get(1);

        assertThat(f.key()).hasToString("staging/platform-agent/global");
        assertThat(f.has(SPLIT)).isTrue();
        assertThat(f.has(MISSING)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.flags().add(MISSING))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
