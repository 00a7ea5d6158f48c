package io.lockstep.domain;

import io.lockstep.domain.PromotionGate.Facts;
import io.lockstep.domain.PromotionGate.Origin;
import io.lockstep.domain.PromotionGate.Proposal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop the line ({@code LINE_STOPPED}) and break-glass overrides in {@link PromotionGate}, table-driven with
 * time as an input. (Kept apart from {@code PromotionGateTest} so the parallel issue-12 clauses merge cleanly.)
 */
class PromotionGateLineStopTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final Environment PROD = new Environment("prod", "staging", Environment.RequiredProvenance.NONE,
            false, null, false);
    private static final Template AGENT = new Template("platform-agent", "r/platform-agent", List.of("platform"), "runtime", true);
    private static final Template TOOLS = new Template("tools", "r/tools", List.of("tools"), "tooling", true);
    private static final Template SOLO = new Template("solo", "r/solo", List.of("solo"), null, true);
    private static final PinKey AGENT_KEY = new PinKey("prod", "platform-agent", null);
    private static final PinKey TOOLS_KEY = new PinKey("prod", "tools", null);
    private static final PinKey SOLO_KEY = new PinKey("prod", "solo", null);

    private static LineStop stop(String group, Instant until) {
        return new LineStop("s-1", "prod", group, "incident 4711", "alice", NOW.minusSeconds(600), until);
    }

    private static Facts facts(Instant now, LineStop... stops) {
        return new Facts(now, List.of(), List.of(AGENT, TOOLS, SOLO), Optional.empty(), null, Map.of())
                .withStops(List.of(stops));
    }

    private static Proposal promote(Origin origin, PinKey key) {
        return new Proposal(PROD, origin, List.of(key), Map.of(), null, null, null, Map.of(key, A));
    }

    private static List<String> codes(List<Refusal> refusals) {
        return refusals.stream().map(r -> r.problem().code()).toList();
    }

    /** the stop (group, until), when asked, which pin, origin → refused? */
    static Stream<Arguments> table() {
        Instant end = NOW.plusSeconds(3600);
        return Stream.of(
                Arguments.of("env stop, open-ended", null, null, NOW, AGENT_KEY, Origin.MANUAL, true),
                Arguments.of("env stop covers a template without a group", null, null, NOW, SOLO_KEY, Origin.MANUAL, true),
                Arguments.of("env stop stops auto-promotion", null, null, NOW, AGENT_KEY, Origin.AUTO, true),
                Arguments.of("env stop lets a rollback through", null, null, NOW, AGENT_KEY, Origin.ROLLBACK, false),
                Arguments.of("one second before the end", null, end, end.minusSeconds(1), AGENT_KEY, Origin.MANUAL, true),
                Arguments.of("exactly at the end it is over", null, end, end, AGENT_KEY, Origin.MANUAL, false),
                Arguments.of("after the end", null, end, end.plusSeconds(1), AGENT_KEY, Origin.MANUAL, false),
                Arguments.of("group stop covers its group", "runtime", null, NOW, AGENT_KEY, Origin.MANUAL, true),
                Arguments.of("group stop leaves another group", "runtime", null, NOW, TOOLS_KEY, Origin.MANUAL, false),
                Arguments.of("group stop leaves a template without a group", "runtime", null, NOW, SOLO_KEY, Origin.MANUAL, false),
                Arguments.of("group stop in another environment", "other-env", null, NOW, AGENT_KEY, Origin.MANUAL, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void lineStopped(String name, String group, Instant until, Instant now, PinKey key, Origin origin, boolean refused) {
        LineStop s = "other-env".equals(group) ? new LineStop("s-9", "staging", null, "r", "bob", NOW, null)
                : stop(group, until);
        assertThat(codes(PromotionGate.refusals(promote(origin, key), facts(now, s))))
                .isEqualTo(refused ? List.of("LINE_STOPPED") : List.of());
    }

    @Test
    void aLiftedStopStopsNothing() {
        LineStop lifted = stop(null, null).lifted(NOW.minusSeconds(1), "bob", "fixed");
        assertThat(PromotionGate.refusals(promote(Origin.MANUAL, AGENT_KEY), facts(NOW, lifted))).isEmpty();
    }

    @Test
    void theRefusalNamesWhoWhyAndUntilWhenWithRetryAfterOnlyWhenTheEndIsKnown() {
        Instant end = NOW.plusSeconds(3600);
        Refusal timed = PromotionGate.refusals(promote(Origin.MANUAL, AGENT_KEY), facts(NOW, stop(null, end))).get(0);
        assertThat(timed.message()).contains("prod is stopped by alice (incident 4711) until " + end)
                .contains("lockstep unfreeze --environment prod s-1");
        assertThat(timed.details()).containsEntry("retry_after_seconds", 3601L).containsEntry("freeze_id", "s-1");
        Refusal open = PromotionGate.refusals(promote(Origin.MANUAL, AGENT_KEY), facts(NOW, stop("runtime", null))).get(0);
        assertThat(open.message()).contains("prod (group runtime) is stopped by alice (incident 4711) until it is lifted");
        assertThat(open.details()).doesNotContainKey("retry_after_seconds");
        assertThat(Refusal.exception(List.of(open)).details()).doesNotContainKey("retry_after_seconds");
    }

    @Test
    void oneRefusalPerStopOpenEndedFirstThenEndingLast() {
        LineStop soon = new LineStop("soon", "prod", null, "a", "alice", NOW, NOW.plusSeconds(60));
        LineStop late = new LineStop("late", "prod", "runtime", "b", "bob", NOW, NOW.plusSeconds(7200));
        LineStop open = new LineStop("open", "prod", null, "c", "carol", NOW, null);
        List<Refusal> r = PromotionGate.refusals(promote(Origin.MANUAL, AGENT_KEY), facts(NOW, soon, late, open));
        assertThat(r).extracting(x -> x.details().get("freeze_id")).containsExactly("open", "late", "soon");
    }

    @Test
    void aGroupStopCoversAReleaseOfThatGroup() {
        Release release = new Release("runtime@v1", "runtime", "v1", null, Map.of("platform-agent", A), Map.of(), NOW,
                "ci", null);
        Proposal p = new Proposal(PROD, Origin.RELEASE, List.of(AGENT_KEY), Map.of(), release, null);
        assertThat(codes(PromotionGate.refusals(p, facts(NOW, stop("runtime", null))))).containsExactly("LINE_STOPPED");
        assertThat(PromotionGate.refusals(p, facts(NOW, stop("tooling", null)))).isEmpty();
    }

    @Test
    void lineStoppedComesRightAfterFrozen() {
        Environment frozen = new Environment("prod", "staging", Environment.RequiredProvenance.NONE, false, null, false,
                OnImageGone.WARN, PromotionPolicy.frozenDuring(List.of(FreezeWindow.daily("always",
                LocalTime.of(0, 0), LocalTime.of(23, 59), ZoneOffset.UTC))));
        Proposal p = new Proposal(frozen, Origin.MANUAL, List.of(AGENT_KEY), Map.of(), null, B, null, Map.of(AGENT_KEY, A));
        Facts f = new Facts(NOW, List.of(new Fence("f", "prod", "deploy", "ops", NOW, NOW.plusSeconds(60))),
                List.of(AGENT), Optional.empty(), null, Map.of()).withStops(List.of(stop(null, null)));
        assertThat(codes(PromotionGate.refusals(p, f)))
                .containsExactly("FENCED", "FROZEN", "LINE_STOPPED", "DIGEST_CONFLICT");
    }

    // --- break-glass ---

    private static final Environment GUARDED = new Environment("prod", "staging", Environment.RequiredProvenance.DECLARED,
            false, null, false, OnImageGone.WARN, new PromotionPolicy(new StageRequirement("staging", Duration.ofHours(2)),
            List.of(FreezeWindow.daily("always", LocalTime.of(0, 0), LocalTime.of(23, 59), ZoneOffset.UTC))));

    private static Pin upstreamAt(String digest, Instant arrived) {
        return new Pin(new PinKey("staging", "platform-agent", null), digest, "r@" + digest, null, null, arrived, "ci",
                null, Map.of(), 1);
    }

    private static Map<String, String> provenance() {
        return Map.of("ci_run", "https://ci.example/run/1", "commit", "0123456789abcdef0123456789abcdef01234567");
    }

    /** what else is wrong with the change → what still refuses with an override, and what the override lifted. */
    static Stream<Arguments> overrides() {
        Fence fence = new Fence("f", "prod", "deploy", "ops", NOW, NOW.plusSeconds(60));
        return Stream.of(
                Arguments.of("soaking, frozen, stopped", List.of(), provenance(), null, upstreamAt(A, NOW),
                        List.of(), List.of("SOAKING", "FROZEN", "LINE_STOPPED")),
                Arguments.of("not in upstream", List.of(), provenance(), null, upstreamAt(B, NOW.minusSeconds(99999)),
                        List.of(), List.of("NOT_IN_UPSTREAM", "FROZEN", "LINE_STOPPED")),
                Arguments.of("fenced stays refused", List.of(fence), provenance(), null, upstreamAt(A, NOW),
                        List.of("FENCED"), List.of("SOAKING", "FROZEN", "LINE_STOPPED")),
                Arguments.of("missing provenance stays refused", List.of(), Map.of(), null, upstreamAt(A, NOW),
                        List.of("PROVENANCE_REQUIRED"), List.of("SOAKING", "FROZEN", "LINE_STOPPED")),
                Arguments.of("digest conflict stays refused", List.of(), provenance(), B, upstreamAt(A, NOW),
                        List.of("DIGEST_CONFLICT"), List.of("SOAKING", "FROZEN", "LINE_STOPPED")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overrides")
    void anOverrideLiftsThePolicyClausesOnly(String name, List<Fence> fences, Map<String, String> provenance,
                                             String expected, Pin upstream, List<String> standing, List<String> overrode) {
        Proposal p = new Proposal(GUARDED, Origin.MANUAL, List.of(AGENT_KEY), provenance, null, expected, null,
                Map.of(AGENT_KEY, A));
        Facts f = new Facts(NOW, fences, List.of(AGENT), Optional.empty(), null, Map.of(), Map.of(AGENT_KEY, upstream))
                .withStops(List.of(stop(null, null)));
        PromotionGate.Decision without = PromotionGate.decide(p, f);
        assertThat(codes(without.refusals())).containsAll(overrode).containsAll(standing);
        assertThat(without.overrode()).isEmpty();

        PromotionGate.Decision with = PromotionGate.decide(p.overriding("incident 4711: hotfix"), f);
        assertThat(codes(with.refusals())).isEqualTo(standing);
        assertThat(with.overrode()).extracting(Problem::code).isEqualTo(overrode);
    }

    @Test
    void anImageCheckRefusalStandsUnderAnOverride() {
        Refusal missing = new Refusal(Problem.IMAGE_NOT_FOUND, "gone");
        Facts f = new Facts(NOW, List.of(), List.of(AGENT), Optional.empty(), missing, Map.of()).withStops(List.of(stop(null, null)));
        PromotionGate.Decision d = PromotionGate.decide(promote(Origin.MANUAL, AGENT_KEY).overriding("why"), f);
        assertThat(codes(d.refusals())).containsExactly("IMAGE_NOT_FOUND");
        assertThat(d.overrode()).containsExactly(Problem.LINE_STOPPED);
    }

    @Test
    void anOverrideThatMetNoPolicyRefusalOverrodeNothing() {
        PromotionGate.Decision d = PromotionGate.decide(promote(Origin.MANUAL, AGENT_KEY).overriding("why"), facts(NOW));
        assertThat(d.refusals()).isEmpty();
        assertThat(d.overrode()).isEmpty();
        assertThat(PromotionGate.require(promote(Origin.MANUAL, AGENT_KEY).overriding("why"), facts(NOW))).isEmpty();
    }

    @Test
    void theOverridableSetNamesEveryPolicyClause() {
        assertThat(PromotionGate.OVERRIDABLE).containsExactlyInAnyOrder(Problem.NOT_IN_UPSTREAM, Problem.SOAKING,
                Problem.UPSTREAM_NOT_CONVERGED,
                Problem.APPROVAL_REQUIRED, Problem.FROZEN, Problem.LINE_STOPPED);
    }
}
