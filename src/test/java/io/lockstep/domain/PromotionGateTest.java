package io.lockstep.domain;

import io.lockstep.domain.PromotionGate.Facts;
import io.lockstep.domain.PromotionGate.Origin;
import io.lockstep.domain.PromotionGate.Proposal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each clause of the one promotion rule, without a server: what refuses, in which order, with which answer. */
class PromotionGateTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final Environment PROD = new Environment("prod", "staging", false, false, null, false);
    private static final Environment STRICT = new Environment("prod", "staging", true, false, null, false);
    private static final Environment VERIFIED_ONLY = new Environment("prod", "staging",
            Environment.RequiredProvenance.VERIFIED, false, null, false);
    private static final Map<String, String> CLAIMS = Map.of("repository", "acme/agents", "run_id", "42",
            "iss", "https://token.actions.githubusercontent.com", "sub", "repo:acme/agents:ref:refs/heads/main");
    private static final Template AGENT = new Template("platform-agent", "r/platform-agent", List.of("platform"), "runtime", true);
    private static final Template CODE = new Template("claude-code", "r/claude-code", List.of("workspace"), "runtime", true);
    private static final Template LEGACY = new Template("legacy", "r/legacy", List.of(), null, false);
    private static final PinKey AGENT_KEY = new PinKey("prod", "platform-agent", null);
    private static final PinKey CODE_KEY = new PinKey("prod", "claude-code", null);
    private static final Map<String, String> FULL_PROVENANCE = Map.of("ci_run", "publish#42", "commit", "19f3175");

    private static Proposal promote(Environment env, Origin origin, Map<String, String> provenance, String expected) {
        return new Proposal(env, origin, List.of(AGENT_KEY), provenance, null, expected);
    }

    private static Facts facts() {
        return new Facts(NOW, List.of(), List.of(AGENT, CODE, LEGACY), Optional.empty(), null, Map.of());
    }

    private static Facts withFences(Fence... fences) {
        return new Facts(NOW, List.of(fences), List.of(AGENT, CODE, LEGACY), Optional.empty(), null, Map.of());
    }

    private static Pin pinAt(String digest) {
        return new Pin(AGENT_KEY, digest, "r/platform-agent@" + digest, null, null, NOW.minusSeconds(60), "ci", null,
                Map.of(), 3);
    }

    private static Fence fence(String id, Instant expires) {
        return new Fence(id, "prod", "database migration", "oncall", NOW.minusSeconds(30), expires);
    }

    private static List<String> codes(List<Refusal> refusals) {
        return refusals.stream().map(r -> r.problem().code()).toList();
    }

    @Test
    void aPlainPromoteIntoAnOpenEnvironmentPasses() {
        assertThat(PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), null), facts())).isEmpty();
        assertThatCode(() -> PromotionGate.require(promote(PROD, Origin.MANUAL, Map.of(), null), facts()))
                .doesNotThrowAnyException();
    }

    @Test
    void anActiveFenceRefusesWithWhoWhyAndWhenToRetry() {
        List<Refusal> r = PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), null),
                withFences(fence("f-1", NOW.plus(Duration.ofSeconds(90)))));
        assertThat(codes(r)).containsExactly("FENCED");
        assertThat(r.get(0).problem().kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(r.get(0).problem().retryable()).isTrue();
        assertThat(r.get(0).message()).isEqualTo("Environment prod is fenced by oncall (database migration) until "
                + NOW.plusSeconds(90) + "; retry after 91 s or ask them to lift the fence.");
        assertThat(r.get(0).details()).containsEntry("fence_id", "f-1").containsEntry("fenced_by", "oncall")
                .containsEntry("reason", "database migration").containsEntry("retry_after_seconds", 91L);
    }

    @Test
    void anExpiredFenceOrAnotherEnvironmentsFenceDoesNotRefuse() {
        Fence expired = fence("f-old", NOW);
        Fence elsewhere = new Fence("f-s", "staging", "x", "oncall", NOW, NOW.plusSeconds(600));
        assertThat(PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), null), withFences(expired, elsewhere)))
                .isEmpty();
    }

    @Test
    void everyActiveFenceIsAReasonTheOneEndingLastFirst() {
        // the first refusal decides Retry-After: a retry cannot succeed before the last fence ends
        List<Refusal> r = PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), null),
                withFences(fence("f-1", NOW.plusSeconds(60)), fence("f-2", NOW.plusSeconds(600)),
                        fence("f-3", NOW.plusSeconds(120))));
        assertThat(r).extracting(x -> x.details().get("fence_id")).containsExactly("f-2", "f-3", "f-1");
        assertThat(r.get(0).details()).containsEntry("retry_after_seconds", 601L);
    }

    @Test
    void aFenceRefusesEveryOriginIncludingRollbackAndAuto() {
        for (Origin origin : Origin.values()) {
            assertThat(codes(PromotionGate.refusals(promote(PROD, origin, Map.of(), null),
                    withFences(fence("f-1", NOW.plusSeconds(60)))))).as(origin.name()).containsExactly("FENCED");
        }
    }

    @Test
    void compareAndSetRefusesWhenThePinMovedAndNamesBothDigests() {
        Facts at = new Facts(NOW, List.of(), List.of(AGENT), Optional.of(pinAt(B)), null, Map.of());
        List<Refusal> r = PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), A), at);
        assertThat(codes(r)).containsExactly("DIGEST_CONFLICT");
        assertThat(r.get(0).details()).containsEntry("current_digest", B).containsEntry("expected_digest", A);
        assertThat(r.get(0).message()).isEqualTo("The platform-agent pin in prod/global is at " + B
                + ", not the expected " + A + "; read the pin again and retry with its current digest.");

        Facts same = new Facts(NOW, List.of(), List.of(AGENT), Optional.of(pinAt(A)), null, Map.of());
        assertThat(PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), A), same)).isEmpty();
        assertThat(PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), null), at)).as("no CAS asked").isEmpty();
    }

    @Test
    void compareAndSetAgainstAPinThatDoesNotExistYetSaysSoWithANullCurrentDigest() {
        List<Refusal> r = PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), A), facts());
        assertThat(codes(r)).containsExactly("DIGEST_CONFLICT");
        assertThat(r.get(0).details()).containsEntry("current_digest", null);
        assertThat(r.get(0).message()).contains("is at no digest (no pin yet)");
    }

    @Test
    void anUnpinnableTemplateIsRefused() {
        Proposal p = new Proposal(PROD, Origin.MANUAL, List.of(new PinKey("prod", "legacy", null)), Map.of(), null, null);
        List<Refusal> r = PromotionGate.refusals(p, facts());
        assertThat(codes(r)).containsExactly("TEMPLATE_NOT_PINNABLE");
        assertThat(r.get(0).problem().kind().httpStatus()).isEqualTo(422);
        assertThat(r.get(0).message()).isEqualTo("Template legacy is not pinnable.");
    }

    @Test
    void aTemplateGoneFromTheFactsIsAnUnknownTemplateOfTheRequest() {
        Proposal p = new Proposal(PROD, Origin.MANUAL, List.of(new PinKey("prod", "gone", null)), Map.of(), null, null);
        List<Refusal> r = PromotionGate.refusals(p, facts());
        assertThat(r).extracting(Refusal::problem).containsExactly(Problem.UNKNOWN_TEMPLATE_REFERENCED);
    }

    @Test
    void anEnvironmentRequiringProvenanceWantsCiRunAndCommit() {
        assertThat(codes(PromotionGate.refusals(promote(STRICT, Origin.MANUAL, Map.of(), null), facts())))
                .containsExactly("PROVENANCE_REQUIRED");
        assertThat(codes(PromotionGate.refusals(promote(STRICT, Origin.MANUAL, Map.of("ci_run", "x"), null), facts())))
                .containsExactly("PROVENANCE_REQUIRED");
        assertThat(PromotionGate.refusals(promote(STRICT, Origin.MANUAL, FULL_PROVENANCE, null), facts())).isEmpty();
        assertThat(PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), null), facts()))
                .as("an environment that does not ask for it").isEmpty();
        assertThat(codes(PromotionGate.refusals(promote(STRICT, Origin.AUTO, Map.of(), null), facts())))
                .as("a watch brings no provenance").containsExactly("PROVENANCE_REQUIRED");
        assertThat(codes(PromotionGate.refusals(promote(STRICT, Origin.RELEASE, Map.of(), null), facts())))
                .containsExactly("PROVENANCE_REQUIRED");
    }

    /** Issue 11: the rollback exemption is gone; a rollback is a change like any other. */
    @Test
    void aRollbackNeedsProvenanceWhereTheEnvironmentRequiresIt() {
        assertThat(codes(PromotionGate.refusals(promote(STRICT, Origin.ROLLBACK, Map.of(), null), facts())))
                .containsExactly("PROVENANCE_REQUIRED");
        assertThat(PromotionGate.refusals(promote(STRICT, Origin.ROLLBACK, FULL_PROVENANCE, null), facts())).isEmpty();
        assertThat(codes(PromotionGate.refusals(verified(VERIFIED_ONLY, Origin.ROLLBACK, ProvenanceKind.DECLARED,
                FULL_PROVENANCE), facts()))).containsExactly("VERIFIED_PROVENANCE_REQUIRED");
        assertThat(PromotionGate.refusals(promote(PROD, Origin.ROLLBACK, Map.of(), null), facts())).isEmpty();
    }

    private static Proposal verified(Environment env, Origin origin, ProvenanceKind kind, Map<String, String> provenance) {
        return new Proposal(env, origin, List.of(AGENT_KEY), provenance, null, null, kind);
    }

    @Test
    void requireProvenanceVerifiedTakesOnlyAVerifiedCiIdentity() {
        for (Origin origin : Origin.values()) {
            assertThat(PromotionGate.refusals(verified(VERIFIED_ONLY, origin, ProvenanceKind.VERIFIED, CLAIMS), facts()))
                    .as("verified %s", origin).isEmpty();
            assertThat(codes(PromotionGate.refusals(verified(VERIFIED_ONLY, origin, ProvenanceKind.DECLARED,
                    FULL_PROVENANCE), facts()))).as("declared-complete %s", origin)
                    .containsExactly("VERIFIED_PROVENANCE_REQUIRED");
            assertThat(codes(PromotionGate.refusals(verified(VERIFIED_ONLY, origin, ProvenanceKind.DECLARED, CLAIMS),
                    facts()))).as("claims copied into a body are still declared, %s", origin)
                    .containsExactly("VERIFIED_PROVENANCE_REQUIRED");
            assertThat(codes(PromotionGate.refusals(verified(VERIFIED_ONLY, origin, null, Map.of()), facts())))
                    .as("none %s", origin).containsExactly("VERIFIED_PROVENANCE_REQUIRED");
        }
        Refusal r = PromotionGate.refusals(verified(VERIFIED_ONLY, Origin.MANUAL, ProvenanceKind.DECLARED,
                FULL_PROVENANCE), facts()).get(0);
        assertThat(r.problem().kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(r.problem().retryable()).isFalse();
        assertThat(r.message()).contains("Environment prod").contains("verified CI identity")
                .doesNotContain("ci_run").doesNotContain("\"provenance\"");
    }

    @Test
    void verifiedClaimsAlsoSatisfyRequireProvenanceTrue() {
        assertThat(PromotionGate.refusals(verified(STRICT, Origin.MANUAL, ProvenanceKind.VERIFIED, CLAIMS), facts()))
                .isEmpty();
    }

    /** The 422 says what is missing, not how to write it by hand (no example body, no field recipe). */
    @Test
    void theProvenanceRequiredMessageDoesNotTeachHowToFillItIn() {
        Refusal r = PromotionGate.refusals(promote(STRICT, Origin.MANUAL, Map.of(), null), facts()).get(0);
        assertThat(r.problem()).isEqualTo(Problem.PROVENANCE_REQUIRED);
        assertThat(r.message()).contains("Environment prod").doesNotContain("ci_run").doesNotContain("{")
                .doesNotContain("e.g.");
    }

    @Test
    void aHeldPinRefusesAutomaticChangesOnly() {
        Facts held = new Facts(NOW, List.of(), List.of(AGENT, CODE), Optional.empty(), null,
                Map.of(AGENT_KEY, "alice pinned " + A + " by hand"));
        List<Refusal> r = PromotionGate.refusals(promote(PROD, Origin.AUTO, Map.of(), null), held);
        assertThat(codes(r)).containsExactly("HELD");
        assertThat(r.get(0).message()).isEqualTo("The pin prod/platform-agent/global is held: alice pinned " + A + " by hand.");
        assertThat(r.get(0).problem().retryable()).isFalse();
        for (Origin person : Set.of(Origin.MANUAL, Origin.RELEASE, Origin.ROLLBACK)) {
            assertThat(PromotionGate.refusals(promote(PROD, person, Map.of(), null), held)).as(person.name()).isEmpty();
        }
        Proposal other = new Proposal(PROD, Origin.AUTO, List.of(CODE_KEY), Map.of(), null, null);
        assertThat(PromotionGate.refusals(other, held)).as("a hold on another pin").isEmpty();
    }

    @Test
    void theImageCheckIsAFactAndKeepsItsOwnAnswer() {
        Refusal missing = new Refusal(Problem.IMAGE_NOT_FOUND, "r/platform-agent@" + A + " is not in the registry.",
                Map.of("missing", List.of(Map.of("digest", A))));
        Facts f = new Facts(NOW, List.of(), List.of(AGENT), Optional.empty(), missing, Map.of());
        assertThat(PromotionGate.refusals(promote(PROD, Origin.MANUAL, Map.of(), null), f)).containsExactly(missing);
        Refusal down = Refusal.of(new LockstepException(Problem.REGISTRY_UNAVAILABLE, "registry down"));
        assertThat(down.problem()).isEqualTo(Problem.REGISTRY_UNAVAILABLE);
    }

    private static Release release(Map<String, String> images, Map<String, String> exclude, Registrants registrants) {
        return new Release("runtime@1.0.0", "runtime", "1.0.0", null, images, exclude, NOW.minusSeconds(3600), "ci",
                registrants);
    }

    private static Proposal releaseProposal(Release r) {
        List<PinKey> keys = r.images().keySet().stream().map(t -> new PinKey("prod", t, null)).toList();
        return new Proposal(PROD, Origin.RELEASE, keys, Map.of(), r, null);
    }

    @Test
    void aReleaseMustNameEveryMemberOfItsGroupAsTheGroupIsNow() {
        Release onlyAgent = release(Map.of("platform-agent", A), Map.of(), null);
        List<Refusal> r = PromotionGate.refusals(releaseProposal(onlyAgent), facts());
        assertThat(codes(r)).containsExactly("INCOMPLETE_RELEASE");
        assertThat(r.get(0).details()).containsEntry("missing", List.of("claude-code"));
        assertThat(r.get(0).message()).startsWith("Release runtime@1.0.0 leaves out claude-code, which joined group runtime");

        Release excluding = release(Map.of("platform-agent", A), Map.of("claude-code", "not built"), null);
        assertThat(PromotionGate.refusals(releaseProposal(excluding), facts())).isEmpty();
    }

    @Test
    void aReleaseMovesOnlyWhereItsRegistrantsVouchedForIt() {
        Release stagingOnly = release(Map.of("platform-agent", A, "claude-code", B), Map.of(),
                Registrants.of("ci-staging", List.of("staging")));
        List<Refusal> r = PromotionGate.refusals(releaseProposal(stagingOnly), facts());
        assertThat(codes(r)).containsExactly("RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT");
        assertThat(r.get(0).problem().kind().httpStatus()).isEqualTo(403);
        assertThat(r.get(0).details()).containsEntry("release_id", "runtime@1.0.0")
                .containsEntry("registrant_environments", Set.of("staging"));

        Release everywhere = release(Map.of("platform-agent", A, "claude-code", B), Map.of(), null);
        assertThat(PromotionGate.refusals(releaseProposal(everywhere), facts())).isEmpty();
    }

    @Test
    void everyReasonIsReturnedInTheFixedOrder() {
        Refusal imageGone = new Refusal(Problem.IMAGE_NOT_FOUND, "gone");
        Facts all = new Facts(NOW, List.of(fence("f-1", NOW.plusSeconds(60))), List.of(AGENT, CODE, LEGACY),
                Optional.of(pinAt(B)), imageGone, Map.of(AGENT_KEY, "by hand"));
        Proposal p = new Proposal(STRICT, Origin.AUTO, List.of(AGENT_KEY, new PinKey("prod", "legacy", null)), Map.of(),
                release(Map.of("platform-agent", A, "legacy", A), Map.of(), Registrants.of("ci-staging", List.of("staging"))),
                A);
        assertThat(codes(PromotionGate.refusals(p, all))).containsExactly("HELD", "RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT",
                "TEMPLATE_NOT_PINNABLE", "PROVENANCE_REQUIRED", "INCOMPLETE_RELEASE", "IMAGE_NOT_FOUND", "FENCED",
                "DIGEST_CONFLICT");
    }

    @Test
    void theFirstReasonDecidesTheAnswerAndTheOthersAreListedBesideIt() {
        Facts fencedAndMoved = new Facts(NOW, List.of(fence("f-1", NOW.plusSeconds(60))), List.of(AGENT),
                Optional.of(pinAt(B)), null, Map.of());
        assertThatThrownBy(() -> PromotionGate.require(promote(PROD, Origin.MANUAL, Map.of(), A), fencedAndMoved))
                .isInstanceOfSatisfying(LockstepException.class, e -> {
                    assertThat(e.code()).isEqualTo("FENCED");
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                    assertThat(e.getMessage()).startsWith("Environment prod is fenced by oncall");
                    assertThat(e.details()).containsEntry("retry_after_seconds", 61L);
                    assertThat(e.details().get(Refusal.OTHER_REFUSALS)).isEqualTo(List.of(Map.of("code", "DIGEST_CONFLICT",
                            "error", "The platform-agent pin in prod/global is at " + B + ", not the expected " + A
                                    + "; read the pin again and retry with its current digest.")));
                });
    }

    @Test
    void aSingleReasonIsTheSameErrorAsBeforeWithNothingAdded() {
        assertThatThrownBy(() -> PromotionGate.require(promote(STRICT, Origin.MANUAL, Map.of(), null), facts()))
                .isInstanceOfSatisfying(LockstepException.class, e -> {
                    assertThat(e.code()).isEqualTo("PROVENANCE_REQUIRED");
                    assertThat(e.kind().httpStatus()).isEqualTo(422);
                    assertThat(e.details()).isEmpty();
                });
    }
}
