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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code approvals} clause of {@link PromotionGate}, table-driven with time as an input: which
 * approvals count (live at {@code now}, for this very release or digest, by distinct identities with
 * one of {@code from_scopes}, not by the promoter) and what the refusal says would satisfy it.
 */
class PromotionGateApprovalsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final Template AGENT = new Template("platform-agent", "r/platform-agent", List.of("platform"), "runtime", true);
    private static final PinKey KEY = new PinKey("prod", "platform-agent", null);
    private static final Release REL = new Release("runtime@1.0.0", "runtime", "1.0.0", null, Map.of("platform-agent", A),
            Map.of(), NOW.minusSeconds(3600), "ci", null);
    private static final List<String> APPROVE = List.of("read", "approve");

    private static Environment prod(int count, boolean distinct) {
        return new Environment("prod", "staging", Environment.RequiredProvenance.NONE, false, null, false, OnImageGone.WARN,
                PromotionPolicy.approvedBy(new ApprovalPolicy(count, List.of("approve"), distinct, DAY)));
    }

    private static Approval ofDigest(String approver, String digest, List<String> scopes, Instant given) {
        return new Approval("id-" + approver + given, "prod", null, "platform-agent", digest, KEY.region(), approver, scopes,
                null, given, given.plus(DAY), null, null, null);
    }

    private static Approval ofDigest(String approver) {
        return ofDigest(approver, A, APPROVE, NOW.minusSeconds(60));
    }

    private static Approval ofRelease(String approver, String releaseId) {
        return new Approval("id-" + approver, "prod", releaseId, null, null, null, approver, APPROVE, null,
                NOW.minusSeconds(60), NOW.minusSeconds(60).plus(DAY), null, null, null);
    }

    private static Facts facts(List<Approval> approvals) {
        return new Facts(NOW, List.of(), List.of(AGENT), Optional.empty(), null, Map.of(), Map.of()).withApprovals(approvals);
    }

    private static Proposal single(Environment env, Origin origin, String actor) {
        return new Proposal(env, origin, List.of(KEY), Map.of(), null, null, null, Map.of(KEY, A)).by(actor);
    }

    private static Proposal release(Environment env, String actor) {
        return new Proposal(env, Origin.RELEASE, List.of(KEY), Map.of(), REL, null).by(actor);
    }

    private static List<String> codes(List<Refusal> refusals) {
        return refusals.stream().map(r -> r.problem().code()).toList();
    }

    private static final Instant GIVEN_EXPIRING_NOW = NOW.minus(DAY);

    /** count, distinct_from_promoter, approvals given, promoter → approvals still missing (0: it passes). */
    static Stream<Arguments> table() {
        Approval alice = ofDigest("alice");
        return Stream.of(
                Arguments.of("none given", 1, true, List.of(), 1),
                Arguments.of("one of one", 1, true, List.of(alice), 0),
                Arguments.of("one of two", 2, true, List.of(alice), 1),
                Arguments.of("two distinct of two", 2, true, List.of(alice, ofDigest("bob")), 0),
                Arguments.of("same identity twice counts once", 2, true,
                        List.of(alice, ofDigest("alice", A, APPROVE, NOW.minusSeconds(30))), 1),
                Arguments.of("approver is the promoter", 1, true, List.of(ofDigest("ci")), 1),
                Arguments.of("approver is the promoter, four-eyes off", 1, false, List.of(ofDigest("ci")), 0),
                Arguments.of("expires exactly now", 1, true, List.of(ofDigest("alice", A, APPROVE, GIVEN_EXPIRING_NOW)), 1),
                Arguments.of("expires one second after now", 1, true,
                        List.of(ofDigest("alice", A, APPROVE, GIVEN_EXPIRING_NOW.plusSeconds(1))), 0),
                Arguments.of("approver held only promote", 1, true,
                        List.of(ofDigest("alice", A, List.of("read", "promote"), NOW.minusSeconds(60))), 1),
                Arguments.of("revoked", 1, true, List.of(alice.revoked(NOW.minusSeconds(1), "alice")), 1),
                Arguments.of("used by an earlier change", 1, true, List.of(new Approval("u", "prod", null, "platform-agent", A,
                        KEY.region(), "alice", APPROVE, null, NOW.minusSeconds(60), NOW.plus(DAY), null, null,
                        NOW.minusSeconds(5))), 1),
                Arguments.of("for another digest", 1, true, List.of(ofDigest("alice", B, APPROVE, NOW.minusSeconds(60))), 1),
                Arguments.of("for a release, not this digest", 1, true, List.of(ofRelease("alice", REL.id())), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void whichApprovalsCount(String name, int count, boolean distinct, List<Approval> given, int missing) {
        Environment env = prod(count, distinct);
        List<Refusal> refusals = PromotionGate.refusals(single(env, Origin.MANUAL, "ci"), facts(given));
        assertThat(codes(refusals)).isEqualTo(missing == 0 ? List.of() : List.of("APPROVAL_REQUIRED"));
        if (missing > 0) {
            assertThat(refusals.get(0).details()).containsEntry("needed", count).containsEntry("have", count - missing);
            assertThat(refusals.get(0).message()).contains("needs " + missing + " more approval");
        } else {
            assertThat(PromotionGate.countedApprovals(single(env, Origin.MANUAL, "ci"), facts(given))).hasSize(count);
        }
        assertThat(codes(PromotionGate.refusals(single(env, Origin.AUTO, "ci"), facts(given))))
                .as("a watch's auto-promote obeys the same rule").isEqualTo(codes(refusals));
        assertThat(PromotionGate.refusals(single(env, Origin.ROLLBACK, "ci"), facts(given)))
                .as("a rollback skips approvals").isEmpty();
    }

    @Test
    void theRefusalSaysExactlyWhatWouldSatisfyIt() {
        Refusal r = PromotionGate.refusals(single(prod(1, true), Origin.MANUAL, "ci-prod"), facts(List.of())).get(0);
        assertThat(r.problem()).isEqualTo(Problem.APPROVAL_REQUIRED);
        assertThat(r.problem().kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(r.problem().retryable()).isFalse();
        assertThat(r.message()).contains("needs 1 more approval from a token with scope approve, not ci-prod")
                .contains("platform-agent@" + A);
        assertThat(r.details()).containsEntry("needed", 1).containsEntry("have", 0)
                .containsEntry("approvers", List.of()).containsEntry("from_scopes", List.of("approve"));

        Refusal two = PromotionGate.refusals(single(prod(2, true), Origin.MANUAL, "ci-prod"),
                facts(List.of(ofDigest("alice")))).get(0);
        assertThat(two.message()).contains("needs 1 more approval from a token with scope approve, not ci-prod or alice");
        assertThat(two.details()).containsEntry("approvers", List.of("alice"));
    }

    @Test
    void aReleaseNeedsApprovalsOfThatRelease() {
        Environment env = prod(1, true);
        assertThat(codes(PromotionGate.refusals(release(env, "ci"), facts(List.of(ofDigest("alice"))))))
                .as("a digest's approval does not approve a release").containsExactly("APPROVAL_REQUIRED");
        assertThat(codes(PromotionGate.refusals(release(env, "ci"), facts(List.of(ofRelease("alice", "runtime@0.9.0"))))))
                .as("nor does another release's").containsExactly("APPROVAL_REQUIRED");
        assertThat(PromotionGate.refusals(release(env, "ci"), facts(List.of(ofRelease("alice", REL.id()))))).isEmpty();
        assertThat(PromotionGate.refusals(release(env, "ci"), facts(List.of(ofRelease("alice", REL.id())))))
                .isEmpty();
        assertThat(PromotionGate.refusals(release(env, "ci"), facts(List.of())).get(0).message())
                .contains("release runtime@1.0.0");
    }

    @Test
    void anEnvironmentWithoutApprovalsAsksForNone() {
        Environment plain = Environment.named("prod");
        assertThat(PromotionGate.refusals(single(plain, Origin.MANUAL, "ci"), facts(List.of()))).isEmpty();
        assertThat(PromotionGate.countedApprovals(single(plain, Origin.MANUAL, "ci"), facts(List.of(ofDigest("a")))))
                .isEmpty();
    }

    @Test
    void approvalsComeRightAfterRequiresAndBeforeTheImageCheck() {
        Environment env = new Environment("prod", "staging", Environment.RequiredProvenance.NONE, false, null, false,
                OnImageGone.WARN, new PromotionPolicy(new StageRequirement("staging", Duration.ZERO), List.of(),
                ApprovalPolicy.of(1)));
        Facts f = new Facts(NOW, List.of(), List.of(AGENT), Optional.empty(),
                new Refusal(Problem.IMAGE_NOT_FOUND, "gone"), Map.of(), Map.of());
        assertThat(codes(PromotionGate.refusals(single(env, Origin.MANUAL, "ci"), f)))
                .containsExactly("NOT_IN_UPSTREAM", "APPROVAL_REQUIRED", "IMAGE_NOT_FOUND");
    }
}
