package io.lockstep.service.dashboard;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Refusal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a release is, read from the gate's refusals: the pure part of the Releases page. */
class ReleaseViewsTest {
    private static final Refusal SOAK = new Refusal(Problem.SOAKING, "soaking sentence",
            Map.of("upstream", "staging", "soaked_at", "2026-12-02T13:00:00Z"));
    private static final Refusal APPROVAL = new Refusal(Problem.APPROVAL_REQUIRED, "approval sentence",
            Map.of("needed", 2, "have", 1, "approvers", List.of("alice")));
    private static final Refusal FROZEN = new Refusal(Problem.FROZEN, "frozen sentence",
            Map.of("window", "holidays", "frozen_until", "2027-01-02T00:00+01:00"));
    private static final Refusal UPSTREAM = new Refusal(Problem.NOT_IN_UPSTREAM, "upstream sentence",
            Map.of("upstream", "staging"));
    private static final Refusal FENCE = new Refusal(Problem.FENCED, "fenced sentence", Map.of());

    @Test
    void currentWinsAndOffersNothing() {
        var s = ReleaseViews.state("prod", true, List.of(APPROVAL), true, true);
        assertThat(s.state()).isEqualTo("current");
        assertThat(s.canPromote()).isFalse();
        assertThat(s.canApprove()).isFalse();
    }

    @Test
    void noRefusalIsPromotableForThoseWhoMayPromote() {
        var s = ReleaseViews.state("prod", false, List.of(), true, true);
        assertThat(s.state()).isEqualTo("promotable");
        assertThat(s.canPromote()).isTrue();
        assertThat(s.canApprove()).isFalse();
        assertThat(ReleaseViews.state("prod", false, List.of(), false, false).canPromote()).isFalse();
    }

    @Test
    void theHardestPolicyClauseNamesTheStateAndEveryReasonIsKept() {
        assertThat(ReleaseViews.state("prod", false, List.of(APPROVAL, SOAK), true, true).state()).isEqualTo("soaking");
        assertThat(ReleaseViews.state("prod", false, List.of(APPROVAL, SOAK), true, true).text())
                .isEqualTo("Soaking in staging until 2026-12-02T13:00:00Z.");
        var frozen = ReleaseViews.state("prod", false, List.of(SOAK, APPROVAL, FROZEN), true, true);
        assertThat(frozen.state()).isEqualTo("frozen");
        assertThat(frozen.text()).isEqualTo("Frozen by window holidays until 2027-01-02T00:00+01:00.");
        assertThat(frozen.reasons()).extracting(ReleasesView.Reason::code)
                .containsExactly("SOAKING", "APPROVAL_REQUIRED", "FROZEN");
        assertThat(frozen.canApprove()).as("approvals are among the reasons").isTrue();
        assertThat(ReleaseViews.state("prod", false, List.of(FROZEN, UPSTREAM), true, true).state()).isEqualTo("not_yet");
    }

    @Test
    void awaitingApprovalSaysHowManyMoreAndByWhom() {
        var s = ReleaseViews.state("prod", false, List.of(APPROVAL), false, true);
        assertThat(s.state()).isEqualTo("awaiting_approval");
        assertThat(s.text()).isEqualTo("Awaiting 1 approval (1 of 2, by alice).");
        assertThat(s.canApprove()).isTrue();
        assertThat(s.canPromote()).isFalse();
        assertThat(ReleaseViews.state("prod", false, List.of(APPROVAL), true, false).canApprove()).isFalse();
    }

    @Test
    void anyOtherRefusalBlocksWithItsSentence() {
        var s = ReleaseViews.state("prod", false, List.of(APPROVAL, FENCE), true, true);
        assertThat(s.state()).isEqualTo("blocked");
        assertThat(s.text()).isEqualTo("Blocked: fenced sentence");
        assertThat(s.canApprove()).isTrue();
    }

    @Test
    void aRefusalListsTheFirstReasonThenEveryOtherRefusal() {
        LockstepException e = Refusal.exception(List.of(FROZEN, APPROVAL));
        var n = ReleaseViews.refusal("title", e);
        assertThat(n.code()).isEqualTo("FROZEN");
        assertThat(n.reasons()).extracting(ReleasesView.Reason::code).containsExactly("FROZEN", "APPROVAL_REQUIRED");
        assertThat(n.reasons()).extracting(ReleasesView.Reason::message)
                .containsExactly("frozen sentence", "approval sentence");
    }
}
