package io.lockstep.domain.drift;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Refusal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lockstep.domain.drift.DriftStatus.AWAITING_APPROVAL;
import static io.lockstep.domain.drift.DriftStatus.BEHIND_UPSTREAM;
import static io.lockstep.domain.drift.DriftStatus.FROZEN;
import static io.lockstep.domain.drift.DriftStatus.HELD;
import static io.lockstep.domain.drift.DriftStatus.IMAGE_GONE;
import static io.lockstep.domain.drift.DriftStatus.IN_FLIGHT;
import static io.lockstep.domain.drift.DriftStatus.SOAKING;
import static io.lockstep.domain.drift.DriftStatus.SPLIT;
import static io.lockstep.domain.drift.DriftStatus.STUCK;
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

/**
 * Issue 12 item 5: a pin behind only because the promotion gate refuses its catch-up (the refusal comes in
 * as a signal) shows the wait ({@code soaking}, {@code awaiting_approval}, {@code frozen}) with the gate's
 * sentence, not {@code stuck} / {@code behind_upstream}; it is not failing by default; and it hides no real
 * problem (split, gone image, hold).
 */
class PolicyWaitDriftTest {
    private static final Instant LATE = T43.plus(Duration.ofDays(1));
    private static final PinKey PROD_HERMES = new PinKey("prod", "hermes", "global");
    private static final String SENTENCE = "prod is frozen by window seed-freeze until 2026-06-23T08:00Z (UTC); retry after 60 s.";

    private static DriftReport hermes(Instant now, DriftSignals signals) {
        List<Pin> pins = List.of(pin("staging", "hermes", null, digest("hermes-1.1.0"), T43),
                pin("prod", "hermes", digest("hermes-1.0.0")));
        return run(DriftInput.of(List.of(HERMES), List.of(STAGING, PROD), pins,
                List.of(hermesRelease("h1", "1.0.0", T40), hermesRelease("h2", "1.1.0", T43)), now).withSignals(signals));
    }

    private static DriftSignals refused(PinKey key, Problem problem) {
        return DriftSignals.none().withCatchUpRefusals(Map.of(key, new Refusal(problem, SENTENCE)));
    }

    @ParameterizedTest
    @CsvSource({"SOAKING, SOAKING", "APPROVAL_REQUIRED, AWAITING_APPROVAL", "FROZEN, FROZEN", "LINE_STOPPED, FROZEN"})
    void theGatesFirstRefusalDecidesTheWaitInPlaceOfStuckAndBehindUpstream(Problem refusal, DriftStatus shown) {
        DriftFinding without = find(hermes(LATE, DriftSignals.none()), "prod", "hermes");
        assertThat(without.status()).isEqualTo(STUCK);
        assertThat(without.flags()).contains(BEHIND_UPSTREAM);

        DriftFinding f = find(hermes(LATE, refused(PROD_HERMES, refusal)), "prod", "hermes");
        assertThat(f.status()).isEqualTo(shown);
        assertThat(f.flags()).isEmpty();
        assertThat(f.explanation()).isEqualTo("hermes in prod is on 1.0.0, 1 release behind since " + T43
                + ", and the promotion gate holds the catch-up back: " + SENTENCE);
        assertThat(f.matches(DriftStatus.failingByDefault())).as("an expected wait").isFalse();
        assertThat(f.matches(DriftStatus.parseList("soaking,awaiting_approval,frozen"))).isTrue();
    }

    @Test
    void aWaitReplacesInFlightTooButARefusalThatIsNoWaitChangesNothing() {
        DriftFinding inGrace = find(hermes(T43.plusSeconds(60), refused(PROD_HERMES, Problem.SOAKING)), "prod", "hermes");
        assertThat(inGrace.status()).isEqualTo(SOAKING);
        for (Problem other : List.of(Problem.FENCED, Problem.NOT_IN_UPSTREAM, Problem.IMAGE_NOT_FOUND)) {
            DriftFinding f = find(hermes(LATE, refused(PROD_HERMES, other)), "prod", "hermes");
            assertThat(f.status()).as(other.name()).isEqualTo(STUCK);
            assertThat(f.flags()).contains(BEHIND_UPSTREAM);
        }
    }

    @Test
    void aRefusalForAPinThatIsNotBehindChangesNothing() {
        DriftFinding staging = find(hermes(LATE, refused(new PinKey("staging", "hermes", "global"), Problem.FROZEN)),
                "staging", "hermes");
        assertThat(staging.status()).isEqualTo(DriftStatus.CURRENT);
    }

    @Test
    void aWaitNeverHidesAGoneImageAHoldOrASplitGroup() {
        DriftSignals frozen = refused(PROD_HERMES, Problem.FROZEN);
        DriftFinding gone = find(hermes(LATE, frozen.withImageGone(Set.of(PROD_HERMES))), "prod", "hermes");
        assertThat(gone.status()).isEqualTo(IMAGE_GONE);
        assertThat(gone.flags()).contains(FROZEN);
        DriftFinding held = find(hermes(LATE, frozen.withHolds(Map.of(PROD_HERMES, "hand promote"))), "prod", "hermes");
        assertThat(held.status()).isEqualTo(HELD);
        assertThat(held.matches(DriftStatus.failingByDefault())).isTrue();

        // the seed incident in prod, frozen: platform-agent is split from claude-code, and that still shows first
        PinKey agent = new PinKey("prod", "platform-agent", "global");
        DriftReport seed = run(Fixture.seed(LATE).withSignals(DriftSignals.none()
                .withCatchUpRefusals(Map.of(agent, new Refusal(Problem.FROZEN, SENTENCE)))));
        DriftFinding split = find(seed, "prod", "platform-agent");
        assertThat(split.status()).isEqualTo(SPLIT);
        assertThat(split.flags()).contains(FROZEN).doesNotContain(STUCK, IN_FLIGHT);
        assertThat(split.matches(DriftStatus.failingByDefault())).isTrue();
    }

    @Test
    void narrowingTheInputToSomeEnvironmentsKeepsTheirRefusalsOnly() {
        DriftInput in = DriftInput.of(List.of(CLAUDE_CODE, PLATFORM_AGENT), List.of(STAGING, PROD), Fixture.seedPins(),
                List.of(R40, R43), LATE).withSignals(DriftSignals.none().withCatchUpRefusals(Map.of(
                new PinKey("prod", "platform-agent", "global"), new Refusal(Problem.FROZEN, SENTENCE),
                new PinKey("staging", "platform-agent", "global"), new Refusal(Problem.SOAKING, SENTENCE))));
        assertThat(in.forEnvironments(List.of("prod")).signals().catchUpRefusals())
                .containsOnlyKeys(new PinKey("prod", "platform-agent", "global"));
    }
}
