package io.lockstep.service.dashboard;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.domain.drift.DriftStatus;
import io.lockstep.service.PinSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Matrix view model from a drift report: grouping, cells, the banner's alerts, filters, visibility. */
class MatrixViewsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final String D1 = "sha256:" + "ab12cd34ef56".repeat(5) + "abcd";

    private static DriftFinding finding(String env, String template, String region, String group, DriftStatus status,
                                        Set<DriftStatus> flags) {
        boolean missing = status == DriftStatus.MISSING;
        return new DriftFinding(env, template, region, group, status, flags, missing ? null : D1,
                missing ? null : "runtime@v1", missing ? null : "v1", "runtime@v2", "v2", 1, null,
                missing ? null : Duration.ofHours(50), template + " in " + env + " is " + status.wire() + ".");
    }

    private static DriftFinding finding(String env, String template, String group, DriftStatus status) {
        return finding(env, template, "global", group, status, Set.of());
    }

    private static PinSnapshot snapshot(List<DriftFinding> findings) {
        List<Pin> pins = new ArrayList<>();
        for (DriftFinding f : findings) {
            if (f.pinnedDigest() != null) {
                pins.add(new Pin(f.key(), f.pinnedDigest(), "r/" + f.template() + "@" + f.pinnedDigest(), null, "v1",
                        NOW.minus(Duration.ofHours(50)), "ci", "note of " + f.template() + " in " + f.environment(),
                        Map.of(), 1));
            }
        }
        return new PinSnapshot(List.of(), pins);
    }

    private static MatrixView build(List<DriftFinding> findings, List<String> visible, MatrixView.Filter filter) {
        return MatrixViews.build(new DriftReport(NOW, findings), snapshot(findings), visible, filter);
    }

    private static final List<DriftFinding> INCIDENT = List.of(
            finding("staging", "claude-code", "runtime", DriftStatus.CURRENT),
            finding("staging", "platform-agent", "runtime", DriftStatus.STUCK),
            finding("staging", "solo", "solo", DriftStatus.MISSING),
            finding("prod", "claude-code", "runtime", DriftStatus.CURRENT),
            finding("prod", "platform-agent", "global", "runtime", DriftStatus.IN_FLIGHT, Set.of(DriftStatus.SPLIT)),
            finding("prod", "hermes", "runtime", DriftStatus.SOAKING));

    @Test
    void rowsAreTemplatesGroupedByGroupAndCellsCarryVersionShortDigestAgeStatusAndNotes() {
        MatrixView v = build(INCIDENT, List.of("staging", "prod"), MatrixView.Filter.NONE);
        assertThat(v.environments()).containsExactly("staging", "prod");
        assertThat(v.groups()).extracting(MatrixView.Group::name).containsExactly("runtime", "solo");
        MatrixView.Group runtime = v.groups().get(0);
        assertThat(runtime.rows()).extracting(MatrixView.Row::template)
                .containsExactly("claude-code", "hermes", "platform-agent");
        assertThat(runtime.summary()).isEqualTo("1 STUCK · 1 SOAKING · 1 IN_FLIGHT · 2 CURRENT");
        MatrixView.Cell stuck = runtime.rows().get(2).cells().get(0);
        assertThat(stuck.status()).isEqualTo("stuck");
        assertThat(stuck.label()).isEqualTo("STUCK");
        assertThat(stuck.runtimeVersion()).isEqualTo("v1");
        assertThat(stuck.shortDigest()).isEqualTo("ab12cd34ef56");
        assertThat(stuck.age()).isEqualTo("2d");
        assertThat(stuck.notes()).isEqualTo("note of platform-agent in staging");
        assertThat(stuck.pinPath()).isEqualTo("/pins/staging/platform-agent");
        assertThat(stuck.alerting()).isTrue();
        // hermes has no finding in staging: not expected there, said in words
        MatrixView.Cell absent = runtime.rows().get(1).cells().get(0);
        assertThat(absent.expected()).isFalse();
        assertThat(absent.label()).isEqualTo("NOT EXPECTED");
        assertThat(v.rows()).isEqualTo(4);
    }

    @Test
    void theBannerListsStuckSplitMissingAndImageGoneAlsoAsFlagsAndNothingElse() {
        MatrixView v = build(INCIDENT, List.of("staging", "prod"), new MatrixView.Filter(null, null, "current", null));
        assertThat(v.alerts()).extracting(a -> a.environment() + "/" + a.template() + "=" + a.label())
                .containsExactly("staging/platform-agent=STUCK", "staging/solo=MISSING", "prod/platform-agent=SPLIT");
        assertThat(MatrixViews.ALERTING).containsExactlyInAnyOrder(DriftStatus.STUCK, DriftStatus.SPLIT,
                DriftStatus.MISSING, DriftStatus.IMAGE_GONE);
    }

    @Test
    void environmentsTheCallerMayNotSeeAreNeitherColumnsNorAlerts() {
        MatrixView v = build(INCIDENT, List.of("staging"), MatrixView.Filter.NONE);
        assertThat(v.environments()).containsExactly("staging");
        assertThat(v.environmentChoices()).containsExactly("staging");
        assertThat(v.alerts()).noneMatch(a -> a.environment().equals("prod"));
        assertThat(v.groups()).flatExtracting(MatrixView.Group::rows).extracting(MatrixView.Row::template)
                .doesNotContain("hermes"); // only in prod
        assertThat(v.groups()).flatExtracting(MatrixView.Group::rows).flatExtracting(MatrixView.Row::cells)
                .allMatch(c -> c.environment().equals("staging"));
    }

    @Test
    void filtersNarrowColumnsGroupsStatusAndText() {
        List<String> both = List.of("staging", "prod");
        assertThat(build(INCIDENT, both, new MatrixView.Filter("prod", null, null, null)).environments())
                .containsExactly("prod");
        assertThat(build(INCIDENT, both, new MatrixView.Filter(null, "solo", null, null)).groups())
                .extracting(MatrixView.Group::name).containsExactly("solo");
        MatrixView soaking = build(INCIDENT, both, new MatrixView.Filter(null, null, "soaking", null));
        assertThat(soaking.groups()).flatExtracting(MatrixView.Group::rows).extracting(MatrixView.Row::template)
                .containsExactly("hermes");
        MatrixView text = build(INCIDENT, both, new MatrixView.Filter(null, null, null, "agent"));
        assertThat(text.groups()).flatExtracting(MatrixView.Group::rows).extracting(MatrixView.Row::template)
                .containsExactly("platform-agent");
        assertThat(text.totalRows()).isEqualTo(4);
        assertThatThrownBy(() -> build(INCIDENT, both, new MatrixView.Filter(null, null, "bogus", null)))
                .isInstanceOf(LockstepException.class);
    }

    @Test
    void aCellOfSeveralRegionsShowsTheWorstAndSaysHowManyRegions() {
        List<DriftFinding> regions = List.of(
                finding("prod", "codex", "eu", "runtime", DriftStatus.CURRENT, Set.of()),
                finding("prod", "codex", "us", "runtime", DriftStatus.IMAGE_GONE, Set.of()),
                finding("prod", "codex", "ap", "runtime", DriftStatus.IN_FLIGHT, Set.of()));
        MatrixView.Cell c = build(regions, List.of("prod"), MatrixView.Filter.NONE).groups().get(0).rows().get(0)
                .cells().get(0);
        assertThat(c.status()).isEqualTo("image_gone");
        assertThat(c.regions()).isEqualTo(3);
        assertThat(c.explanation()).endsWith("(worst of 3 regions)");
    }

    @Test
    void shortDigestAndAgeFormats() {
        assertThat(MatrixViews.shortDigest(D1)).isEqualTo("ab12cd34ef56");
        assertThat(MatrixViews.shortDigest(null)).isNull();
        assertThat(MatrixViews.age(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(MatrixViews.age(Duration.ofMinutes(61))).isEqualTo("1h");
        assertThat(MatrixViews.age(Duration.ofDays(3).plusHours(5))).isEqualTo("3d");
    }

    @Test
    void fiftyEnvironmentsByTwoHundredTemplatesIsOnePassOverTheFindings() {
        // not a timing claim (bench/ measures that): the view is built from the findings alone, one cell each
        List<String> envs = new ArrayList<>();
        List<DriftFinding> findings = new ArrayList<>();
        for (int e = 0; e < 50; e++) {
            envs.add("env" + e);
            for (int t = 0; t < 200; t++) {
                findings.add(finding("env" + e, "t" + t, "g" + (t / 5), t == 7 && e == 3 ? DriftStatus.STUCK
                        : DriftStatus.CURRENT));
            }
        }
        MatrixView v = build(findings, envs, MatrixView.Filter.NONE);
        assertThat(v.rows()).isEqualTo(200);
        assertThat(v.groups()).hasSize(40);
        assertThat(v.groups()).flatExtracting(MatrixView.Group::rows).flatExtracting(MatrixView.Row::cells).hasSize(10_000);
        assertThat(v.alerts()).singleElement().satisfies(a -> assertThat(a.template()).isEqualTo("t7"));
        assertThat(new PinKey("env3", "t7", "global")).isEqualTo(findings.get(3 * 200 + 7).key());
    }
}
