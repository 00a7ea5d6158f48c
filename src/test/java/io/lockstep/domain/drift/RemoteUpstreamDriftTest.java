package io.lockstep.domain.drift;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Pin;
import io.lockstep.domain.Release;
import io.lockstep.domain.RemoteUpstream;
import io.lockstep.domain.UpstreamState;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.lockstep.domain.drift.DriftStatus.AHEAD_OF_UPSTREAM;
import static io.lockstep.domain.drift.DriftStatus.BEHIND_UPSTREAM;
import static io.lockstep.domain.drift.DriftStatus.CURRENT;
import static io.lockstep.domain.drift.DriftStatus.IN_FLIGHT;
import static io.lockstep.domain.drift.DriftStatus.MISSING;
import static io.lockstep.domain.drift.DriftStatus.STUCK;
import static io.lockstep.domain.drift.DriftStatus.UPSTREAM_UNREACHABLE;
import static io.lockstep.domain.drift.Fixture.HERMES;
import static io.lockstep.domain.drift.Fixture.T40;
import static io.lockstep.domain.drift.Fixture.T43;
import static io.lockstep.domain.drift.Fixture.digest;
import static io.lockstep.domain.drift.Fixture.find;
import static io.lockstep.domain.drift.Fixture.hermesRelease;
import static io.lockstep.domain.drift.Fixture.pin;
import static io.lockstep.domain.drift.Fixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Drift of a prod-only server whose upstream staging lives on another server (issue 11 item 3). */
class RemoteUpstreamDriftTest {
    private static final Instant LATE = T43.plus(Duration.ofDays(1));
    private static final Release H1 = hermesRelease("h1", "1.0.0", T40);
    private static final Release H2 = hermesRelease("h2", "1.1.0", T43);
    private static final RemoteUpstream STAGING_SERVER = new RemoteUpstream(URI.create("https://staging.example"),
            "staging", "LOCKSTEP_UPSTREAM_TOKEN", null, null);
    /** prod, the only environment of its server; "staging" is the remote environment's name */
    private static final Environment PROD = Environment.named("prod").withUpstream("staging");

    private static DriftInput prodOnly(List<Release> localReleases, Pin prodPin, UpstreamState remote, Instant now) {
        return new DriftInput(List.of(HERMES), List.of(PROD), List.of(prodPin), localReleases, now,
                Duration.ofMinutes(10), null, Map.of("prod", remote));
    }

    private static UpstreamState staging(Pin pin, List<Release> releases) {
        return UpstreamState.read(STAGING_SERVER, List.of(pin), releases, LATE);
    }

    @Test
    void behindARemoteUpstreamWhoseReleaseThisServerNeverLearned() {
        Instant stagingMoved = LATE.minus(Duration.ofHours(2));
        // prod's server knows only 1.0.0 (its registration of 1.1.0 got a 403); staging runs 1.1.0
        DriftInput input = prodOnly(List.of(H1), pin("prod", "hermes", digest("hermes-1.0.0")),
                staging(pin("staging", "hermes", null, digest("hermes-1.1.0"), stagingMoved), List.of(H1, H2)), LATE);

        DriftReport report = run(input);
        DriftFinding f = find(report, "prod", "hermes");
        assertThat(f.status()).isEqualTo(BEHIND_UPSTREAM);
        assertThat(f.flags()).isEmpty(); // prod's own stream is unchanged: it does not become STUCK by the merge
        assertThat(f.explanation()).contains("its upstream staging at https://staging.example has been on 1.1.0")
                .endsWith("promote release 1.1.0 to prod.");
        assertThat(report.findings()).extracting(DriftFinding::environment).containsOnly("prod");
        assertThat(DriftStatus.failingByDefault()).contains(f.status());
    }

    @Test
    void notBehindInsideTheGracePeriodOfTheRemotePin() {
        Instant stagingMoved = LATE.minus(Duration.ofMinutes(9));
        DriftInput input = prodOnly(List.of(H1), pin("prod", "hermes", digest("hermes-1.0.0")),
                staging(pin("staging", "hermes", null, digest("hermes-1.1.0"), stagingMoved), List.of(H1, H2)), LATE);

        assertThat(find(run(input), "prod", "hermes").status()).isEqualTo(CURRENT);
        assertThat(find(run(input.at(stagingMoved.plus(Duration.ofMinutes(10)))), "prod", "hermes").status())
                .isEqualTo(BEHIND_UPSTREAM);
    }

    @Test
    void aheadOfARemoteUpstreamStillOnTheOlderRelease() {
        DriftInput input = prodOnly(List.of(H1, H2), pin("prod", "hermes", null, digest("hermes-1.1.0"), LATE),
                staging(pin("staging", "hermes", digest("hermes-1.0.0")), List.of(H1)), LATE);

        DriftFinding f = find(run(input), "prod", "hermes");
        assertThat(f.status()).isEqualTo(AHEAD_OF_UPSTREAM);
        assertThat(f.explanation()).contains("its upstream staging at https://staging.example is only on 1.0.0");
    }

    @Test
    void currentWhenTheRemoteUpstreamRunsTheSameRelease() {
        DriftInput input = prodOnly(List.of(H1, H2), pin("prod", "hermes", null, digest("hermes-1.1.0"), LATE),
                staging(pin("staging", "hermes", null, digest("hermes-1.1.0"), T43), List.of(H1, H2)), LATE);

        assertThat(find(run(input), "prod", "hermes").status()).isEqualTo(CURRENT);
    }

    @Test
    void aRemoteUpstreamWinsOverALocalEnvironmentOfTheSameName() {
        // a leftover empty local staging would say nothing; the remote one is the upstream
        Instant stagingMoved = LATE.minus(Duration.ofHours(2));
        DriftInput input = new DriftInput(List.of(HERMES), List.of(Environment.named("staging"), PROD),
                List.of(pin("staging", "hermes", digest("hermes-1.0.0")), pin("prod", "hermes", digest("hermes-1.0.0"))),
                List.of(H1), LATE, Duration.ofMinutes(10), null,
                Map.of("prod", staging(pin("staging", "hermes", null, digest("hermes-1.1.0"), stagingMoved), List.of(H1, H2))));

        assertThat(find(run(input), "prod", "hermes").status()).isEqualTo(BEHIND_UPSTREAM);
        assertThat(find(run(input), "staging", "hermes").status()).isEqualTo(CURRENT);
    }

    @Test
    void unreachableRemoteUpstreamIsLoudAndNamesTheReason() {
        UpstreamState down = UpstreamState.unreachable(STAGING_SERVER,
                "GET https://staging.example/api/v1/releases answered HTTP 401", LATE);
        DriftInput input = prodOnly(List.of(H1), pin("prod", "hermes", digest("hermes-1.0.0")), down, LATE);

        DriftFinding f = find(run(input), "prod", "hermes");
        assertThat(f.status()).isEqualTo(UPSTREAM_UNREACHABLE);
        assertThat(f.explanation()).isEqualTo("hermes in prod is on 1.0.0, but its upstream staging at"
                + " https://staging.example could not be read (GET https://staging.example/api/v1/releases answered"
                + " HTTP 401), so whether it is behind or ahead of it is unknown; fix the upstream server or its token.");
        assertThat(DriftStatus.failingByDefault()).contains(UPSTREAM_UNREACHABLE);
    }

    @Test
    void unreachableIsAFlagUnderAStuckPinAndNothingOnAMissingOne() {
        UpstreamState down = UpstreamState.unreachable(STAGING_SERVER, "timed out after 5000 ms", LATE);
        DriftInput input = new DriftInput(List.of(HERMES, Fixture.CLAUDE_CODE), List.of(PROD),
                List.of(pin("prod", "hermes", digest("hermes-1.0.0"))), List.of(H1, H2), LATE, Duration.ofMinutes(10),
                null, Map.of("prod", down));

        DriftReport report = run(input);
        DriftFinding stuck = find(report, "prod", "hermes");
        assertThat(stuck.status()).isEqualTo(STUCK);
        assertThat(stuck.flags()).containsExactly(UPSTREAM_UNREACHABLE);
        assertThat(stuck.explanation()).endsWith(" Its upstream staging at https://staging.example could not be read:"
                + " timed out after 5000 ms.");
        DriftFinding missing = find(report, "prod", "claude-code");
        assertThat(missing.status()).isEqualTo(MISSING);
        assertThat(missing.flags()).isEmpty();
    }

    @Test
    void withoutARemoteStateALocalUpstreamThatIsNotHostedComparesNothing() {
        // the same prod-only server before this change: no staging, so nothing to say
        DriftInput input = new DriftInput(List.of(HERMES), List.of(PROD), List.of(pin("prod", "hermes",
                digest("hermes-1.0.0"))), List.of(H1), LATE, Duration.ofMinutes(10), null);

        assertThat(find(run(input), "prod", "hermes").status()).isEqualTo(CURRENT);
        assertThat(find(run(input), "prod", "hermes").flags()).doesNotContain(IN_FLIGHT);
    }
}
