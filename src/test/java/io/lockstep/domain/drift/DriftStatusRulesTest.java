package io.lockstep.domain.drift;

import io.lockstep.domain.ProvenanceKind;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lockstep.domain.drift.DriftStatus.AHEAD_OF_UPSTREAM;
import static io.lockstep.domain.drift.DriftStatus.BEHIND_UPSTREAM;
import static io.lockstep.domain.drift.DriftStatus.CURRENT;
import static io.lockstep.domain.drift.DriftStatus.HELD;
import static io.lockstep.domain.drift.DriftStatus.IMAGE_GONE;
import static io.lockstep.domain.drift.DriftStatus.IN_FLIGHT;
import static io.lockstep.domain.drift.DriftStatus.MIRROR_STALE;
import static io.lockstep.domain.drift.DriftStatus.MISSING;
import static io.lockstep.domain.drift.DriftStatus.SPLIT;
import static io.lockstep.domain.drift.DriftStatus.STUCK;
import static io.lockstep.domain.drift.DriftStatus.UNKNOWN;
import static io.lockstep.domain.drift.DriftStatus.UNVERIFIED;
import static io.lockstep.domain.drift.Fixture.CLAUDE_CODE;
import static io.lockstep.domain.drift.Fixture.HERMES;
import static io.lockstep.domain.drift.Fixture.PLATFORM_AGENT;
import static io.lockstep.domain.drift.Fixture.PROD;
import static io.lockstep.domain.drift.Fixture.R40;
import static io.lockstep.domain.drift.Fixture.R43;
import static io.lockstep.domain.drift.Fixture.STAGING;
import static io.lockstep.domain.drift.Fixture.T40;
import static io.lockstep.domain.drift.Fixture.T43;
import static io.lockstep.domain.drift.Fixture.digest;
import static io.lockstep.domain.drift.Fixture.find;
import static io.lockstep.domain.drift.Fixture.hermesRelease;
import static io.lockstep.domain.drift.Fixture.pin;
import static io.lockstep.domain.drift.Fixture.run;
import static org.assertj.core.api.Assertions.assertThat;

class DriftStatusRulesTest {
    private static final Instant LATE = T43.plus(Duration.ofDays(1));
    private static final Release H1 = hermesRelease("h1", "1.0.0", T40);
    private static final Release H2 = hermesRelease("h2", "1.1.0", T43);

    private static DriftReport hermes(List<Pin> pins, DriftSignals signals) {
        return run(DriftInput.of(List.of(HERMES), List.of(STAGING, PROD), pins, List.of(H1, H2), LATE)
                .withSignals(signals));
    }

    private static DriftReport runtime(List<Pin> pins) {
        return run(DriftInput.of(List.of(CLAUDE_CODE, PLATFORM_AGENT), List.of(STAGING, PROD), pins, List.of(R40, R43), LATE));
    }

    @Test
    void currentWhenOnTheNewestRelease() {
        DriftFinding f = find(hermes(List.of(pin("staging", "hermes", digest("hermes-1.1.0"))), DriftSignals.none()),
                "staging", "hermes");

        assertThat(f.status()).isEqualTo(CURRENT);
        assertThat(f.group()).isEqualTo("hermes");
        assertThat(f.currentReleaseId()).isEqualTo("h2");
        assertThat(f.newestReleaseId()).isEqualTo("h2");
        assertThat(f.releasesBehind()).isZero();
        assertThat(f.behindSince()).isNull();
        assertThat(f.explanation()).isEqualTo("hermes in staging is on 1.1.0, the newest release of group hermes; nothing to do.");
    }

    @Test
    void groupLessTemplateOnlyFollowsReleasesNamedAfterIt() {
        Release otherGroup = new Release("x9", "runtime", "v9", null, Map.of("hermes", digest("hermes-9")), null,
                T43.plusSeconds(1), "ci");
        DriftReport report = run(DriftInput.of(List.of(HERMES), List.of(STAGING),
                List.of(pin("staging", "hermes", digest("hermes-1.1.0"))), List.of(H1, H2, otherGroup), LATE));

        DriftFinding f = find(report, "staging", "hermes");
        assertThat(f.status()).isEqualTo(CURRENT);
        assertThat(f.newestReleaseId()).isEqualTo("h2");
    }

    @Test
    void missingWhenNoPinAndStillNamesWhatToPromote() {
        DriftFinding f = find(hermes(List.of(pin("staging", "hermes", digest("hermes-1.1.0"))), DriftSignals.none()),
                "prod", "hermes");

        assertThat(f.status()).isEqualTo(MISSING);
        assertThat(f.flags()).isEmpty();
        assertThat(f.pinnedDigest()).isNull();
        assertThat(f.age()).isNull();
        assertThat(f.currentReleaseId()).isNull();
        assertThat(f.newestRuntimeVersion()).isEqualTo("1.1.0");
        assertThat(f.explanation()).isEqualTo("hermes in prod has no pin; promote release 1.1.0 there, "
                + "because resolution fails closed without one.");
    }

    @Test
    void everyPinnedRegionIsExpectedEverywhereAndGlobalAlways() {
        List<Pin> pins = List.of(
                pin("prod", "hermes", "eu", digest("hermes-1.1.0"), T43),
                pin("prod", "hermes", "us", digest("hermes-1.0.0"), T40));
        DriftReport report = hermes(pins, DriftSignals.none());

        assertThat(report.findings()).extracting(f -> f.environment() + "/" + f.region() + "=" + f.status())
                .containsExactly(
                        "staging/global=MISSING", "staging/eu=MISSING", "staging/us=MISSING",
                        "prod/global=MISSING", "prod/eu=CURRENT", "prod/us=STUCK");
        assertThat(find(report, "prod", "hermes", "us").explanation()).startsWith("hermes in prod (region us) is on 1.0.0");
    }

    @Test
    void splitIsJudgedPerRegion() {
        List<Pin> pins = List.of(
                pin("prod", "claude-code", digest("cc-43")),
                pin("prod", "platform-agent", digest("pa-43")),
                pin("prod", "claude-code", "eu", digest("cc-43"), T43),
                pin("prod", "platform-agent", "eu", digest("pa-40"), T40));
        DriftReport report = runtime(pins).forEnvironment("prod");

        assertThat(find(report, "prod", "platform-agent", "global").status()).isEqualTo(CURRENT);
        DriftFinding eu = find(report, "prod", "platform-agent", "eu");
        assertThat(eu.status()).isEqualTo(STUCK);
        assertThat(eu.flags()).containsExactly(SPLIT);
        assertThat(eu.explanation()).startsWith("platform-agent in prod (region eu) is 1 release behind");
    }

    @Test
    void leadingMemberThatIsItselfBehindIsNotSplit() {
        Release r42 = new Release("r42", "runtime", "v0.3.42", null,
                Map.of("claude-code", digest("cc-42"), "platform-agent", digest("pa-42")), null, T43.minusSeconds(3600), "ci");
        List<Pin> pins = List.of(pin("prod", "claude-code", digest("cc-42")), pin("prod", "platform-agent", digest("pa-40")));
        DriftReport report = run(DriftInput.of(List.of(CLAUDE_CODE, PLATFORM_AGENT), List.of(PROD), pins,
                List.of(R40, r42, R43), LATE));

        DriftFinding claude = find(report, "prod", "claude-code");
        assertThat(claude.status()).isEqualTo(STUCK);
        assertThat(claude.flags()).isEmpty();
        DriftFinding agent = find(report, "prod", "platform-agent");
        assertThat(agent.flags()).containsExactly(SPLIT);
        assertThat(agent.releasesBehind()).isEqualTo(2);
        assertThat(agent.explanation()).contains("(claude-code) is on v0.3.42").endsWith("promote release v0.3.43.");
    }

    @Test
    void memberLeftOutOfTheNewestReleaseIsNeitherBehindNorSplit() {
        Release r43WithoutAgent = new Release("r43", "runtime", "v0.3.43", null, Map.of("claude-code", digest("cc-43")),
                Map.of("platform-agent", "not rebuilt: no change"), T43, "ci");
        List<Pin> pins = List.of(pin("prod", "claude-code", digest("cc-43")), pin("prod", "platform-agent", digest("pa-40")));
        DriftReport report = run(DriftInput.of(List.of(CLAUDE_CODE, PLATFORM_AGENT), List.of(PROD), pins,
                List.of(R40, r43WithoutAgent), LATE));

        DriftFinding agent = find(report, "prod", "platform-agent");
        assertThat(agent.status()).isEqualTo(CURRENT);
        assertThat(agent.newestReleaseId()).isEqualTo("r40");
    }

    @Test
    void unknownWhenNoReleaseHoldsTheDigest() {
        Pin hand = new Pin(new PinKey("staging", "hermes", null), digest("hand-built"), null, null, "1.0.5-hotfix",
                T43, "alice", null, Map.of(), 3);
        DriftFinding f = find(hermes(List.of(hand), DriftSignals.none()), "staging", "hermes");

        assertThat(f.status()).isEqualTo(UNKNOWN);
        assertThat(f.currentReleaseId()).isNull();
        assertThat(f.currentRuntimeVersion()).isEqualTo("1.0.5-hotfix");
        assertThat(f.releasesBehind()).isZero();
        assertThat(f.explanation()).isEqualTo("hermes in staging is pinned to " + digest("hand-built").substring(0, 19)
                + ", which belongs to no registered release of group hermes (a hand promote);"
                + " promote release 1.1.0 or register this build as a release.");
    }

    @Test
    void memberMovedOffEveryReleaseSplitsTheGroupForTheMembersLeftOnTheRelease() {
        // the seed incident through the seed endpoint: claude-code promoted to a fresh build nobody registered
        DriftReport report = runtime(List.of(pin("prod", "claude-code", digest("cc-fresh")),
                pin("prod", "platform-agent", digest("pa-43"))));

        DriftFinding left = find(report, "prod", "platform-agent");
        assertThat(left.status()).isEqualTo(SPLIT);
        assertThat(left.flags()).isEmpty();
        assertThat(left.explanation()).isEqualTo("platform-agent in prod is on v0.3.43 while group runtime member"
                + " claude-code was moved to a digest that no registered release of the group holds, so the group no"
                + " longer runs one release; register that build as a release and publish it to the whole group, or"
                + " promote claude-code back to v0.3.43.");
        DriftFinding moved = find(report, "prod", "claude-code");
        assertThat(moved.status()).isEqualTo(UNKNOWN);
        assertThat(moved.flags()).containsExactly(SPLIT);
        assertThat(moved.explanation()).contains("(a hand promote), while the rest of the group (platform-agent)"
                + " stays on a registered release, so group runtime is split;");
    }

    @Test
    void offReleaseSplitIsPerEnvironmentAndNeedsAMemberOnARelease() {
        DriftReport report = runtime(List.of(pin("staging", "claude-code", digest("cc-fresh")),
                pin("prod", "claude-code", digest("cc-43")), pin("prod", "platform-agent", digest("pa-43"))));

        assertThat(find(report, "prod", "platform-agent").status()).isEqualTo(CURRENT);
        DriftFinding alone = find(report, "staging", "claude-code");
        assertThat(alone.status()).isEqualTo(UNKNOWN);
        assertThat(alone.flags()).isEmpty();
        assertThat(find(report, "staging", "platform-agent").status()).isEqualTo(MISSING);
    }

    @Test
    void behindMemberNextToAnOffReleaseMemberNamesBoth() {
        DriftReport report = runtime(List.of(pin("prod", "claude-code", digest("cc-fresh")),
                pin("prod", "platform-agent", digest("pa-40"))));

        DriftFinding left = find(report, "prod", "platform-agent");
        assertThat(left.status()).isEqualTo(STUCK);
        assertThat(left.flags()).containsExactly(SPLIT);
        assertThat(left.explanation()).contains("is 1 release behind since").contains("claude-code was moved to a digest"
                + " that no registered release of the group holds; promote release v0.3.43.");
    }

    @Test
    void behindUpstreamOnceTheUpstreamHasRunTheNewerReleaseForTheGracePeriod() {
        Instant stagingMoved = T43.plus(Duration.ofHours(2));
        List<Pin> pins = List.of(pin("staging", "hermes", null, digest("hermes-1.1.0"), stagingMoved),
                pin("prod", "hermes", digest("hermes-1.0.0")));
        DriftInput input = DriftInput.of(List.of(HERMES), List.of(STAGING, PROD), pins, List.of(H1, H2), stagingMoved)
                .withGracePeriod(Duration.ofMinutes(10));

        assertThat(find(run(input.at(stagingMoved.plus(Duration.ofMinutes(10)).minusMillis(1))), "prod", "hermes")
                .has(BEHIND_UPSTREAM)).as("inside the grace period").isFalse();
        DriftFinding f = find(run(input.at(stagingMoved.plus(Duration.ofMinutes(12)).plusSeconds(5))), "prod", "hermes");
        assertThat(f.status()).isEqualTo(STUCK);
        assertThat(f.flags()).containsExactly(BEHIND_UPSTREAM);
        assertThat(f.explanation()).endsWith(" Its upstream staging has been on 1.1.0 ("
                + digest("hermes-1.1.0").substring(0, 19) + ") for 12m5s.");
        assertThat(find(run(input.at(stagingMoved.plus(Duration.ofHours(1)))), "staging", "hermes").status())
                .isEqualTo(CURRENT);
    }

    @Test
    void behindUpstreamIsThePrimaryStatusWhenTheDownstreamDoesNotKnowItIsBehind() {
        // prod's own release stream ends at 1.0.0 (its server never learned 1.1.0), but the upstream pin is on it
        Release h2Later = hermesRelease("h2", "1.1.0", LATE.minus(Duration.ofMinutes(1)));
        Instant stagingMoved = LATE.minus(Duration.ofHours(3));
        DriftInput input = DriftInput.of(List.of(HERMES), List.of(STAGING, PROD),
                List.of(pin("staging", "hermes", null, digest("hermes-1.1.0"), stagingMoved),
                        pin("prod", "hermes", digest("hermes-1.0.0"))), List.of(H1, h2Later), LATE);

        DriftFinding f = find(run(input), "prod", "hermes");
        assertThat(f.status()).isEqualTo(BEHIND_UPSTREAM);
        assertThat(f.flags()).containsExactly(IN_FLIGHT);
        assertThat(f.explanation()).isEqualTo("hermes in prod is on 1.0.0 (" + digest("hermes-1.0.0").substring(0, 19)
                + ") while its upstream staging has been on 1.1.0 (" + digest("hermes-1.1.0").substring(0, 19)
                + ") for 3h0m, past the 30m grace period; promote release 1.1.0 to prod.");
    }

    @Test
    void unknownWhenTheGroupHasNoReleasesAtAll() {
        DriftReport report = run(DriftInput.of(List.of(HERMES), List.of(STAGING),
                List.of(pin("staging", "hermes", digest("x"))), List.of(), LATE));

        DriftFinding f = find(report, "staging", "hermes");
        assertThat(f.status()).isEqualTo(UNKNOWN);
        assertThat(f.newestReleaseId()).isNull();
        assertThat(f.explanation()).endsWith("(a hand promote); register this build as a release.");
    }

    @Test
    void aheadOfUpstreamWhenProdRunsANewerReleaseThanStaging() {
        List<Pin> pins = List.of(pin("staging", "hermes", digest("hermes-1.0.0")), pin("prod", "hermes", digest("hermes-1.1.0")));
        DriftReport report = hermes(pins, DriftSignals.none());

        DriftFinding prod = find(report, "prod", "hermes");
        assertThat(prod.status()).isEqualTo(AHEAD_OF_UPSTREAM);
        assertThat(prod.flags()).isEmpty();
        assertThat(prod.explanation()).isEqualTo("hermes in prod is on 1.1.0 but its upstream staging is only on 1.0.0,"
                + " so this release skipped staging; promote 1.1.0 to staging too.");
        assertThat(find(report, "staging", "hermes").status()).isEqualTo(STUCK);
    }

    @Test
    void notAheadWhenUpstreamIsOnTheSameReleaseOrHasNoPin() {
        DriftReport same = hermes(List.of(pin("staging", "hermes", digest("hermes-1.1.0")),
                pin("prod", "hermes", digest("hermes-1.1.0"))), DriftSignals.none());
        DriftReport upstreamMissing = hermes(List.of(pin("prod", "hermes", digest("hermes-1.1.0"))), DriftSignals.none());

        assertThat(find(same, "prod", "hermes").status()).isEqualTo(CURRENT);
        assertThat(find(upstreamMissing, "prod", "hermes").status()).isEqualTo(CURRENT);
        assertThat(find(upstreamMissing, "staging", "hermes").status()).isEqualTo(MISSING);
    }

    @Test
    void aheadOfUpstreamIsAFlagWhenThePinIsAlsoStuck() {
        Release h3 = hermesRelease("h3", "1.2.0", T43.plusSeconds(60));
        List<Pin> pins = List.of(pin("staging", "hermes", digest("hermes-1.0.0")), pin("prod", "hermes", digest("hermes-1.1.0")));
        DriftReport report = run(DriftInput.of(List.of(HERMES), List.of(STAGING, PROD), pins, List.of(H1, H2, h3), LATE));

        DriftFinding prod = find(report, "prod", "hermes");
        assertThat(prod.status()).isEqualTo(STUCK);
        assertThat(prod.flags()).containsExactly(AHEAD_OF_UPSTREAM);
    }

    @Test
    void imageGoneOutranksBeingBehind() {
        PinKey key = new PinKey("staging", "hermes", null);
        DriftFinding f = find(hermes(List.of(pin("staging", "hermes", digest("hermes-1.0.0"))),
                DriftSignals.none().withImageGone(Set.of(key))), "staging", "hermes");

        assertThat(f.status()).isEqualTo(IMAGE_GONE);
        assertThat(f.flags()).containsExactly(STUCK);
        assertThat(f.explanation()).contains("which the registry no longer has, so fresh provisions will fail;"
                + " promote release 1.1.0.");
    }

    @Test
    void imageGoneOnACurrentPinAsksForThePushAgain() {
        PinKey key = new PinKey("staging", "hermes", null);
        DriftFinding f = find(hermes(List.of(pin("staging", "hermes", digest("hermes-1.1.0"))),
                DriftSignals.none().withImageGone(Set.of(key))), "staging", "hermes");

        assertThat(f.status()).isEqualTo(IMAGE_GONE);
        assertThat(f.flags()).isEmpty();
        assertThat(f.explanation()).endsWith("push the image again or promote another digest.");
    }

    @Test
    void mirrorStaleOnAnOtherwiseCurrentPinNamesTheTag() {
        PinKey key = new PinKey("prod", "hermes", null);
        List<Pin> pins = List.of(pin("staging", "hermes", digest("hermes-1.1.0")), pin("prod", "hermes", digest("hermes-1.1.0")));
        DriftReport report = hermes(pins, DriftSignals.none().withMirrorStale(Set.of(key)));

        DriftFinding f = find(report, "prod", "hermes");
        assertThat(f.status()).isEqualTo(MIRROR_STALE);
        assertThat(f.explanation()).isEqualTo("the mirror tag reg.example/hermes:prod of hermes in prod has not been moved to "
                + digest("hermes-1.1.0").substring(0, 19) + " yet; retry the mirror (the pin itself is right).");
        assertThat(find(report, "staging", "hermes").status()).isEqualTo(CURRENT);
    }

    @Test
    void mirrorStaleOutranksInFlight() {
        PinKey key = new PinKey("staging", "hermes", null);
        DriftReport report = run(DriftInput.of(List.of(HERMES), List.of(STAGING),
                List.of(pin("staging", "hermes", digest("hermes-1.0.0"))), List.of(H1, H2), T43.plusSeconds(1))
                .withSignals(DriftSignals.none().withMirrorStale(Set.of(key))));

        DriftFinding f = find(report, "staging", "hermes");
        assertThat(f.status()).isEqualTo(MIRROR_STALE);
        assertThat(f.flags()).containsExactly(IN_FLIGHT);
    }

    private static Pin movedWith(Pin p, ProvenanceKind kind, Map<String, String> provenance) {
        return new Pin(p.key(), p.digest(), p.imageRef(), p.gitSha(), p.runtimeVersion(), p.promotedAt(), p.promotedBy(),
                p.notes(), provenance, p.version(), kind);
    }

    /**
     * UNVERIFIED: a pin whose last move carried no verified provenance, only in environments that
     * require provenance (at any level); elsewhere nobody asked, so nothing is flagged.
     */
    @Test
    void aPinMovedWithoutVerifiedProvenanceIsUnverifiedWhereProvenanceIsRequired() {
        Environment declaredProd = PROD.withProvenance(Environment.RequiredProvenance.DECLARED);
        Environment verifiedProd = PROD.withProvenance(Environment.RequiredProvenance.VERIFIED);
        Pin current = pin("prod", "hermes", digest("hermes-1.1.0"));
        for (Environment prod : List.of(declaredProd, verifiedProd)) {
            for (Pin moved : List.of(current, movedWith(current, ProvenanceKind.DECLARED, Map.of("ci_run", "copied")),
                    movedWith(current, ProvenanceKind.NONE, Map.of()))) {
                DriftFinding f = find(run(DriftInput.of(List.of(HERMES), List.of(STAGING, prod),
                        List.of(pin("staging", "hermes", digest("hermes-1.1.0")), moved), List.of(H1, H2), LATE)),
                        "prod", "hermes");
                assertThat(f.status()).as("%s, %s", prod.provenance(), moved.provenanceKindShown()).isEqualTo(UNVERIFIED);
                assertThat(f.explanation()).isEqualTo("hermes in prod was last moved by ci with "
                        + moved.provenanceKindShown().wire() + " provenance, not by a verified CI identity, although prod"
                        + " requires provenance; check that change and make the next one from CI.");
            }
            Pin verified = movedWith(current, ProvenanceKind.VERIFIED, Map.of("repository", "acme/agents"));
            DriftReport ok = run(DriftInput.of(List.of(HERMES), List.of(STAGING, prod),
                    List.of(pin("staging", "hermes", digest("hermes-1.1.0")), verified), List.of(H1, H2), LATE));
            assertThat(find(ok, "prod", "hermes").status()).isEqualTo(CURRENT);
        }
        DriftReport open = hermes(List.of(pin("staging", "hermes", digest("hermes-1.1.0")), current), DriftSignals.none());
        assertThat(find(open, "prod", "hermes").status()).as("prod does not require provenance").isEqualTo(CURRENT);
        assertThat(find(open, "staging", "hermes").flags()).doesNotContain(UNVERIFIED);
    }

    @Test
    void unverifiedRanksAfterMirrorStaleAndBeforeInFlight() {
        Environment strict = STAGING.withProvenance(Environment.RequiredProvenance.VERIFIED);
        PinKey key = new PinKey("staging", "hermes", null);
        DriftInput behind = DriftInput.of(List.of(HERMES), List.of(strict),
                List.of(pin("staging", "hermes", digest("hermes-1.0.0"))), List.of(H1, H2), T43.plusSeconds(1));
        DriftFinding inFlight = find(run(behind), "staging", "hermes");
        assertThat(inFlight.status()).isEqualTo(UNVERIFIED);
        assertThat(inFlight.flags()).containsExactly(IN_FLIGHT);
        DriftFinding stale = find(run(behind.withSignals(DriftSignals.none().withMirrorStale(Set.of(key)))), "staging", "hermes");
        assertThat(stale.status()).isEqualTo(MIRROR_STALE);
        assertThat(stale.flags()).containsExactly(UNVERIFIED, IN_FLIGHT);
        assertThat(DriftStatus.fromWire("unverified")).isEqualTo(UNVERIFIED);
    }

    @Test
    void heldPinShowsTheReasonAndKeepsStuckAsAFlag() {
        PinKey key = new PinKey("prod", "hermes", null);
        List<Pin> pins = List.of(pin("staging", "hermes", digest("hermes-1.1.0")), pin("prod", "hermes", digest("hermes-1.0.0")));
        DriftReport report = hermes(pins, DriftSignals.none().withHolds(Map.of(key, "rolled back: INC-42")));

        DriftFinding f = find(report, "prod", "hermes");
        assertThat(f.status()).isEqualTo(HELD);
        assertThat(f.flags()).containsExactly(STUCK, BEHIND_UPSTREAM); // staging has run 1.1.0 for a day
        assertThat(f.releasesBehind()).isEqualTo(1);
        assertThat(f.explanation()).startsWith("hermes in prod is held by hand on 1.0.0 (rolled back: INC-42), so discovery"
                + " will not move it, 1 release behind since 2026-06-21T10:19:30Z; promote it by hand to release the hold.");
        assertThat(report.matches(Set.of(STUCK))).isTrue();
    }

    @Test
    void unknownOutranksHeld() {
        PinKey key = new PinKey("prod", "hermes", null);
        DriftReport report = hermes(List.of(pin("prod", "hermes", digest("nobody-knows"))),
                DriftSignals.none().withHolds(Map.of(key, "why not")));

        DriftFinding f = find(report, "prod", "hermes");
        assertThat(f.status()).isEqualTo(UNKNOWN);
        assertThat(f.flags()).containsExactly(HELD);
    }

    @Test
    void newestIsByCreatedAtThenById() {
        Release a = hermesRelease("a", "2.0.0", T43);
        Release b = hermesRelease("b", "2.0.1", T43);
        DriftReport report = run(DriftInput.of(List.of(HERMES), List.of(STAGING),
                List.of(pin("staging", "hermes", digest("hermes-2.0.0"))), List.of(b, a), LATE));

        DriftFinding f = find(report, "staging", "hermes");
        assertThat(f.newestReleaseId()).isEqualTo("b");
        assertThat(f.status()).isEqualTo(STUCK);
        assertThat(f.releasesBehind()).isEqualTo(1);
    }

    @Test
    void aDigestSharedBySeveralReleasesCountsAsTheNewestOfThem() {
        Release again = new Release("h3", "hermes", "1.1.1", null, Map.of("hermes", digest("hermes-1.1.0")), null,
                T43.plusSeconds(600), "ci");
        DriftReport report = run(DriftInput.of(List.of(HERMES), List.of(STAGING),
                List.of(pin("staging", "hermes", digest("hermes-1.1.0"))), List.of(H1, H2, again), LATE));

        DriftFinding f = find(report, "staging", "hermes");
        assertThat(f.status()).isEqualTo(CURRENT);
        assertThat(f.currentReleaseId()).isEqualTo("h3");
    }

    @Test
    void ageIsTimeSincePromotionAndNeverNegative() {
        List<Pin> pins = List.of(pin("staging", "hermes", null, digest("hermes-1.1.0"), LATE.minusSeconds(90)),
                pin("prod", "hermes", null, digest("hermes-1.1.0"), LATE.plusSeconds(5)));
        DriftReport report = hermes(pins, DriftSignals.none());

        assertThat(find(report, "staging", "hermes").age()).isEqualTo(Duration.ofSeconds(90));
        assertThat(find(report, "prod", "hermes").age()).isEqualTo(Duration.ZERO);
    }

    @Test
    void pinsOfUnlistedEnvironmentsAndNonPinnableTemplatesAreIgnored() {
        Template internal = new Template("internal", "reg.example/internal", List.of(), null, false);
        List<Pin> pins = List.of(pin("staging", "hermes", digest("hermes-1.1.0")),
                pin("dev", "hermes", "ap", digest("hermes-1.0.0"), T40),
                pin("staging", "internal", digest("i")));
        DriftReport report = run(DriftInput.of(List.of(HERMES, internal), List.of(STAGING), pins, List.of(H1, H2), LATE));

        assertThat(report.findings()).extracting(f -> f.environment() + "/" + f.template() + "/" + f.region())
                .containsExactly("staging/hermes/global");
    }

    @Test
    void ofTwoCopiesOfOnePinTheHigherVersionWins() {
        Pin older = pin("staging", "hermes", digest("hermes-1.0.0"));
        Pin newer = new Pin(older.key(), digest("hermes-1.1.0"), null, null, null, T43, "ci", null, Map.of(), 2);
        DriftReport report = run(DriftInput.of(List.of(HERMES), List.of(STAGING), List.of(newer, older), List.of(H1, H2), LATE));

        assertThat(find(report, "staging", "hermes").status()).isEqualTo(CURRENT);
    }

    @Test
    void findingsFollowEnvironmentOrderThenTemplateName() {
        DriftReport report = run(DriftInput.of(List.of(PLATFORM_AGENT, HERMES, CLAUDE_CODE),
                List.of(PROD, Environment.named("staging")), List.of(), List.of(), LATE));

        assertThat(report.findings()).extracting(f -> f.environment() + "/" + f.template()).containsExactly(
                "prod/claude-code", "prod/hermes", "prod/platform-agent",
                "staging/claude-code", "staging/hermes", "staging/platform-agent");
    }
}
