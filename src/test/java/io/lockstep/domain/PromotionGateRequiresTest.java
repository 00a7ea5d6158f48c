package io.lockstep.domain;

import io.lockstep.domain.PromotionGate.Facts;
import io.lockstep.domain.PromotionGate.Origin;
import io.lockstep.domain.PromotionGate.Proposal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code requires: {upstream, soak}} clause of {@link PromotionGate}, table-driven with time as an
 * input: the upstream's pin (its digest and when it arrived there) against the digest asked for.
 * (Kept beside {@code PromotionGateTest} so the parallel issue-12 clauses merge without conflict.)
 */
class PromotionGateRequiresTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final Duration SOAK = Duration.ofHours(2);
    private static final Environment PROD = new Environment("prod", "staging", Environment.RequiredProvenance.NONE,
            false, null, false, OnImageGone.WARN, PromotionPolicy.requiring(new StageRequirement("staging", SOAK)));
    private static final Template AGENT = new Template("platform-agent", "r/platform-agent", List.of("platform"), "runtime", true);
    private static final Template CODE = new Template("claude-code", "r/claude-code", List.of("workspace"), "runtime", true);
    private static final PinKey AGENT_KEY = new PinKey("prod", "platform-agent", null);
    private static final PinKey CODE_KEY = new PinKey("prod", "claude-code", null);

    private static Pin upstreamAt(String template, String digest, Instant arrived) {
        return new Pin(new PinKey("staging", template, null), digest, "r/" + template + "@" + digest, null, null, arrived,
                "ci", null, Map.of(), 4);
    }

    private static Facts facts(Map<PinKey, Pin> upstream) {
        return new Facts(NOW, List.of(), List.of(AGENT, CODE), Optional.empty(), null, Map.of(), upstream);
    }

    private static Proposal promote(Origin origin, String digest) {
        return new Proposal(PROD, origin, List.of(AGENT_KEY), Map.of(), null, null, null, Map.of(AGENT_KEY, digest));
    }

    private static List<String> codes(List<Refusal> refusals) {
        return refusals.stream().map(r -> r.problem().code()).toList();
    }

    /** upstream pin (null: none), when it arrived at its digest, the digest asked for → the refusal codes. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("soaked exactly soak", A, NOW.minus(SOAK), A, List.of()),
                Arguments.of("soaked longer", A, NOW.minus(SOAK).minusSeconds(3600), A, List.of()),
                Arguments.of("one second short", A, NOW.minus(SOAK).plusSeconds(1), A, List.of("SOAKING")),
                Arguments.of("arrived just now", A, NOW, A, List.of("SOAKING")),
                Arguments.of("upstream runs another digest", B, NOW.minus(Duration.ofDays(3)), A, List.of("NOT_IN_UPSTREAM")),
                Arguments.of("upstream has no pin", null, null, A, List.of("NOT_IN_UPSTREAM")),
                // moved away and back: promotedAt is the latest arrival, so the soak restarts from it
                Arguments.of("moved away and back an hour ago", A, NOW.minus(Duration.ofHours(1)), A, List.of("SOAKING")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theUpstreamDecides(String name, String upstreamDigest, Instant arrived, String asked, List<String> expected) {
        Map<PinKey, Pin> upstream = upstreamDigest == null ? Map.of()
                : Map.of(AGENT_KEY, upstreamAt("platform-agent", upstreamDigest, arrived));
        assertThat(codes(PromotionGate.refusals(promote(Origin.MANUAL, asked), facts(upstream)))).isEqualTo(expected);
        assertThat(codes(PromotionGate.refusals(promote(Origin.AUTO, asked), facts(upstream))))
                .as("a watch's auto-promote obeys the same rule").isEqualTo(expected);
        assertThat(PromotionGate.refusals(promote(Origin.ROLLBACK, asked), facts(upstream)))
                .as("a rollback skips requires").isEmpty();
    }

    @Test
    void soakingSaysUntilWhenAndIsRetryableWithRetryAfter() {
        Instant arrived = NOW.minus(SOAK).plusSeconds(1);
        List<Refusal> r = PromotionGate.refusals(promote(Origin.MANUAL, A),
                facts(Map.of(AGENT_KEY, upstreamAt("platform-agent", A, arrived))));
        assertThat(codes(r)).containsExactly("SOAKING");
        Refusal s = r.get(0);
        assertThat(s.problem().kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(s.problem().retryable()).isTrue();
        assertThat(s.message()).contains("soaking in staging until " + NOW.plusSeconds(1));
        assertThat(s.details()).containsEntry("retry_after_seconds", 1L).containsEntry("upstream", "staging")
                .containsEntry("soaked_at", NOW.plusSeconds(1).toString()).containsEntry("soak_seconds", 7200L);
    }

    @Test
    void neverInUpstreamIsNotRetryableAndNamesWhatWouldSatisfyIt() {
        List<Refusal> r = PromotionGate.refusals(promote(Origin.MANUAL, A),
                facts(Map.of(AGENT_KEY, upstreamAt("platform-agent", B, NOW.minus(Duration.ofDays(1))))));
        Refusal n = r.get(0);
        assertThat(n.problem()).isEqualTo(Problem.NOT_IN_UPSTREAM);
        assertThat(n.problem().kind()).isEqualTo(ErrorKind.UNPROCESSABLE);
        assertThat(n.problem().retryable()).isFalse();
        assertThat(n.message()).contains("staging").contains("platform-agent@" + A).contains("runs " + B)
                .contains("promote it to staging first");
        assertThat(n.details()).containsEntry("upstream", "staging");
    }

    @Test
    void aReleaseListsBothReasonsAndSoaksUntilItsLastMemberHas() {
        Release r = new Release("runtime@1.0.0", "runtime", "1.0.0", null, Map.of("platform-agent", A, "claude-code", B),
                Map.of(), NOW.minusSeconds(3600), "ci", null);
        Proposal p = new Proposal(PROD, Origin.RELEASE, List.of(AGENT_KEY, CODE_KEY), Map.of(), r, null);
        List<Refusal> both = PromotionGate.refusals(p, facts(Map.of(AGENT_KEY,
                upstreamAt("platform-agent", A, NOW.minusSeconds(60)))));
        assertThat(codes(both)).containsExactly("NOT_IN_UPSTREAM", "SOAKING");
        assertThat(both.get(0).message()).contains("release runtime@1.0.0").contains("claude-code@" + B);

        List<Refusal> soaking = PromotionGate.refusals(p, facts(Map.of(
                AGENT_KEY, upstreamAt("platform-agent", A, NOW.minus(SOAK).plusSeconds(10)),
                CODE_KEY, upstreamAt("claude-code", B, NOW.minus(SOAK).plusSeconds(30)))));
        assertThat(codes(soaking)).containsExactly("SOAKING");
        assertThat(soaking.get(0).details()).containsEntry("retry_after_seconds", 30L);

        assertThat(PromotionGate.refusals(p, facts(Map.of(
                AGENT_KEY, upstreamAt("platform-agent", A, NOW.minus(SOAK)),
                CODE_KEY, upstreamAt("claude-code", B, NOW.minus(SOAK)))))).isEmpty();
    }

    @Test
    void anEnvironmentWithoutRequiresIgnoresTheUpstream() {
        Environment open = new Environment("prod", "staging", false, false, null, false);
        Proposal p = new Proposal(open, Origin.MANUAL, List.of(AGENT_KEY), Map.of(), null, null, null,
                Map.of(AGENT_KEY, A));
        assertThat(PromotionGate.refusals(p, facts(Map.of()))).isEmpty();
    }

    /** {@code min_converged}: the upstream fleet's share running the digest (absent: no live instance) → codes. */
    static Stream<Arguments> convergence() {
        return Stream.of(
                Arguments.of("exactly the share", 0.95, List.of()),
                Arguments.of("all of them", 1.0, List.of()),
                Arguments.of("just below", 0.949, List.of("UPSTREAM_NOT_CONVERGED")),
                Arguments.of("none run it", 0.0, List.of("UPSTREAM_NOT_CONVERGED")),
                Arguments.of("no live instance reports", null, List.of("UPSTREAM_NOT_CONVERGED")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convergence")
    void minConvergedAsksTheUpstreamsFleet(String name, Double share, List<String> expected) {
        Environment prod = PROD.withPolicy(PromotionPolicy.requiring(new StageRequirement("staging", SOAK, 0.95)));
        Map<PinKey, Pin> upstream = Map.of(AGENT_KEY, upstreamAt("platform-agent", A, NOW.minus(SOAK)));
        Facts f = new Facts(NOW, List.of(), List.of(AGENT, CODE), Optional.empty(), null, Map.of(), upstream,
                share == null ? Map.of() : Map.of(AGENT_KEY, share));
        Proposal p = new Proposal(prod, Origin.MANUAL, List.of(AGENT_KEY), Map.of(), null, null, null, Map.of(AGENT_KEY, A));
        List<Refusal> r = PromotionGate.refusals(p, f);
        assertThat(codes(r)).isEqualTo(expected);
        if (!r.isEmpty()) {
            assertThat(r.get(0).problem().retryable()).isTrue();
            assertThat(r.get(0).message()).contains("at least 95.0% of staging's live instances")
                    .contains(share == null ? "no live instance in staging/global reports yet" : "platform-agent (");
            assertThat(r.get(0).details()).containsEntry("min_converged", 0.95);
        }
        assertThat(PromotionGate.refusals(new Proposal(prod, Origin.ROLLBACK, List.of(AGENT_KEY), Map.of(), null, null, null,
                Map.of(AGENT_KEY, A)), f)).as("a rollback skips requires").isEmpty();
        // without min_converged the fleet is not asked
        assertThat(PromotionGate.refusals(promote(Origin.MANUAL, A), f)).isEmpty();
    }
}
