package io.lockstep.domain.drift;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Release;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.lockstep.domain.drift.DriftStatus.IN_FLIGHT;
import static io.lockstep.domain.drift.DriftStatus.STUCK;
import static io.lockstep.domain.drift.Fixture.HERMES;
import static io.lockstep.domain.drift.Fixture.STAGING;
import static io.lockstep.domain.drift.Fixture.T40;
import static io.lockstep.domain.drift.Fixture.T43;
import static io.lockstep.domain.drift.Fixture.digest;
import static io.lockstep.domain.drift.Fixture.find;
import static io.lockstep.domain.drift.Fixture.hermesRelease;
import static io.lockstep.domain.drift.Fixture.pin;
import static io.lockstep.domain.drift.Fixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The grace period is half-open: IN_FLIGHT while now < behindSince + grace, STUCK from then on. */
class GracePeriodTest {
    private static final Release H1 = hermesRelease("h1", "1.0.0", T40);
    private static final Release H2 = hermesRelease("h2", "1.1.0", T43);

    private static DriftInput hermesOnH1(Instant now, Release... releases) {
        return DriftInput.of(List.of(HERMES), List.of(STAGING), List.of(pin("staging", "hermes", digest("hermes-1.0.0"))),
                List.of(releases), now);
    }

    @ParameterizedTest(name = "{0} ms after the grace period ends → {1}")
    @CsvSource({"-1, IN_FLIGHT", "0, STUCK", "1, STUCK"})
    void boundaryOfTheDefaultGracePeriod(long offsetMillis, DriftStatus expected) {
        Instant now = T43.plus(Duration.ofMinutes(30)).plusMillis(offsetMillis);

        DriftFinding f = find(run(hermesOnH1(now, H1, H2)), "staging", "hermes");

        assertThat(f.status()).isEqualTo(expected);
        assertThat(f.releasesBehind()).isEqualTo(1);
        assertThat(f.behindSince()).isEqualTo(T43);
    }

    @ParameterizedTest(name = "grace 10m, {0} ms after it ends → {1}")
    @CsvSource({"-1, IN_FLIGHT", "0, STUCK", "1, STUCK"})
    void boundaryOfAConfiguredGracePeriod(long offsetMillis, DriftStatus expected) {
        Instant now = T43.plus(Duration.ofMinutes(10)).plusMillis(offsetMillis);

        DriftFinding f = find(run(hermesOnH1(now, H1, H2).withGracePeriod(Duration.ofMinutes(10))), "staging", "hermes");

        assertThat(f.status()).isEqualTo(expected);
    }

    @Test
    void zeroGraceMeansStuckAsSoonAsANewerReleaseExists() {
        DriftFinding f = find(run(hermesOnH1(T43, H1, H2).withGracePeriod(Duration.ZERO)), "staging", "hermes");

        assertThat(f.status()).isEqualTo(STUCK);
        assertThat(f.explanation()).isEqualTo("hermes in staging is on 1.0.0, 1 release behind since "
                + "2026-06-21T10:19:30Z, past the 0s grace period; promote release 1.1.0.");
    }

    @Test
    void negativeGraceIsRejected() {
        assertThatThrownBy(() -> hermesOnH1(T43, H1).withGracePeriod(Duration.ofMinutes(-1)))
                .isInstanceOf(LockstepException.class)
                .hasMessageContaining("must not be negative");
    }

    @Test
    void inFlightExplanationSaysWhenTheGracePeriodEnds() {
        DriftFinding f = find(run(hermesOnH1(T43.plusSeconds(60), H1, H2)), "staging", "hermes");

        assertThat(f.status()).isEqualTo(IN_FLIGHT);
        assertThat(f.flags()).isEmpty();
        assertThat(f.explanation()).isEqualTo("hermes in staging is on 1.0.0 and release 1.1.0 is within the 30m grace"
                + " period until 2026-06-21T10:49:30Z; no action needed unless it is still behind then.");
    }

    @Test
    void graceIsCountedFromTheFirstMissedReleaseSoFreshReleasesCannotHideAStalePin() {
        Instant now = T43.plus(Duration.ofDays(3));
        Release fresh = hermesRelease("h3", "1.2.0", now.minusSeconds(60));

        DriftFinding f = find(run(hermesOnH1(now, H1, H2, fresh)), "staging", "hermes");

        assertThat(f.status()).isEqualTo(STUCK);
        assertThat(f.releasesBehind()).isEqualTo(2);
        assertThat(f.behindSince()).isEqualTo(T43);
        assertThat(f.newestReleaseId()).isEqualTo("h3");
        assertThat(f.explanation()).contains("2 releases behind since 2026-06-21T10:19:30Z");
    }

    @Test
    void newestReleaseBeingPromotedKeepsThePinInFlightPastTheGracePeriod() {
        DriftInput input = hermesOnH1(T43.plus(Duration.ofHours(5)), H1, H2)
                .withSignals(DriftSignals.none().withInFlight(Set.of("h2")));

        DriftFinding f = find(run(input), "staging", "hermes");

        assertThat(f.status()).isEqualTo(IN_FLIGHT);
        assertThat(f.explanation()).contains("release 1.1.0 is being promoted right now");
    }

    @Test
    void anOlderReleaseBeingPromotedDoesNotExcuseMissingTheNewest() {
        Release h3 = hermesRelease("h3", "1.2.0", T43.plusSeconds(120));
        DriftInput input = hermesOnH1(T43.plus(Duration.ofHours(5)), H1, H2, h3)
                .withSignals(DriftSignals.none().withInFlight(Set.of("h2")));

        assertThat(find(run(input), "staging", "hermes").status()).isEqualTo(STUCK);
    }
}
