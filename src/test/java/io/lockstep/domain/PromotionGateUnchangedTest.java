package io.lockstep.domain;

import io.lockstep.domain.PromotionGate.Facts;
import io.lockstep.domain.PromotionGate.Origin;
import io.lockstep.domain.PromotionGate.Proposal;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change that would move no pin (a pipeline repeating a promote that already went through) is not held by
 * a policy clause, uses up no approval, and is not an override; every other rule still answers, and a
 * rollback is never "unchanged".
 */
class PromotionGateUnchangedTest {
    private static final Instant NOW = Instant.parse("2026-12-04T18:00:00Z"); // a Friday evening
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final Template AGENT = new Template("platform-agent", "r/platform-agent", List.of("platform"), "runtime", true);
    private static final PinKey KEY = new PinKey("prod", "platform-agent", null);
    /** Every policy at once: stage + soak, one approval, a window active at NOW. */
    private static final Environment PROD = new Environment("prod", "staging", Environment.RequiredProvenance.NONE, false,
            null, false, OnImageGone.WARN, new PromotionPolicy(new StageRequirement("staging", Duration.ofHours(1)),
            List.of(FreezeWindow.weekly("friday", DayOfWeek.FRIDAY, LocalTime.of(16, 0), DayOfWeek.SATURDAY,
                    LocalTime.MIDNIGHT, ZoneOffset.UTC)), ApprovalPolicy.of(1)));

    private static Facts pinnedAt(String digest) {
        return new Facts(NOW, List.of(), List.of(AGENT), Optional.empty(), null, Map.of(), Map.of())
                .withPinned(digest == null ? Map.of() : Map.of(KEY, digest));
    }

    private static Proposal promote(Origin origin, String digest, String expected) {
        return new Proposal(PROD, origin, List.of(KEY), Map.of(), null, expected, null, Map.of(KEY, digest)).by("ci");
    }

    private static List<String> codes(Proposal p, Facts f) {
        return PromotionGate.decide(p, f).refusals().stream().map(r -> r.problem().code()).toList();
    }

    @Test
    void aRepeatOfWhatIsPinnedPassesEveryPolicy() {
        assertThat(codes(promote(Origin.MANUAL, A, null), pinnedAt(A))).isEmpty();
        assertThat(codes(promote(Origin.AUTO, A, null), pinnedAt(A))).isEmpty();
        assertThat(PromotionGate.decide(promote(Origin.MANUAL, A, null).overriding("why"), pinnedAt(A)).overrode())
                .as("nothing to override").isEmpty();
    }

    @Test
    void aRealChangeMeetsEveryPolicy() {
        assertThat(codes(promote(Origin.MANUAL, B, null), pinnedAt(A)))
                .containsExactly("NOT_IN_UPSTREAM", "APPROVAL_REQUIRED", "FROZEN");
        assertThat(codes(promote(Origin.MANUAL, A, null), pinnedAt(null))).as("no pin yet is a change")
                .containsExactly("NOT_IN_UPSTREAM", "APPROVAL_REQUIRED", "FROZEN");
    }

    @Test
    void otherRulesStillAnswerAndARollbackIsNeverUnchanged() {
        assertThat(codes(promote(Origin.MANUAL, A, B), pinnedAt(A))).containsExactly("DIGEST_CONFLICT");
        Proposal back = new Proposal(PROD, Origin.ROLLBACK, List.of(KEY), Map.of(), null, null, null, Map.of(KEY, A));
        assertThat(PromotionGate.unchanged(back, pinnedAt(A))).isFalse();
    }
}
