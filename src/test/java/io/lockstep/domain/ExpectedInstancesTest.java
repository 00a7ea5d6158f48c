package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11 item 5: a pin that had instances and now has none is not converged. */
class ExpectedInstancesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration MEMORY = Duration.ofHours(24);
    private static final String PINNED = "sha256:" + "a".repeat(64);

    private static Convergence pin(long live, long converged, ExpectedInstances.Expectation expected) {
        return new Convergence("prod", "platform-agent", "global", "global", PINNED, "v0.3.43", NOW, live, converged,
                List.of(), expected);
    }

    @Test
    void aRememberedPeakIsExpectedUntilTheMemoryPasses() {
        ExpectedInstances.Peak had3 = new ExpectedInstances.Peak(3, NOW.minus(Duration.ofHours(23)));
        assertThat(ExpectedInstances.of(null, had3, 0, NOW, MEMORY))
                .isEqualTo(new ExpectedInstances.Expectation(3, ExpectedInstances.Source.HISTORY));
        // exactly at the memory's edge it still counts; a moment older it is forgotten
        assertThat(ExpectedInstances.of(null, new ExpectedInstances.Peak(3, NOW.minus(MEMORY)), 0, NOW, MEMORY)).isNotNull();
        assertThat(ExpectedInstances.of(null, new ExpectedInstances.Peak(3, NOW.minus(MEMORY).minusMillis(1)), 0, NOW, MEMORY))
                .isNull();
        assertThat(ExpectedInstances.of(null, had3, 0, NOW, Duration.ZERO)).as("memory 0s: never from history").isNull();
        assertThat(ExpectedInstances.of(null, new ExpectedInstances.Peak(0, NOW), 0, NOW, MEMORY)).isNull();
        assertThat(ExpectedInstances.of(null, null, 0, NOW, MEMORY)).isNull();
    }

    @Test
    void historySaysNothingWhileSomeInstancesAreLive() {
        // an autoscaler shrinking 40 to 20 is not a loss; only "had N, now 0" is
        ExpectedInstances.Peak had40 = new ExpectedInstances.Peak(40, NOW.minusSeconds(60));
        assertThat(ExpectedInstances.of(null, had40, 20, NOW, MEMORY)).isNull();
        assertThat(ExpectedInstances.of(null, had40, 0, NOW, MEMORY))
                .isEqualTo(new ExpectedInstances.Expectation(40, ExpectedInstances.Source.HISTORY));
        // a configured size holds whatever is live
        assertThat(ExpectedInstances.missing(ExpectedInstances.of(40L, had40, 20, NOW, MEMORY), 20)).isEqualTo(20);
    }

    @Test
    void theConfiguredCountWinsOverHistoryZeroIncluded() {
        ExpectedInstances.Peak had3 = new ExpectedInstances.Peak(3, NOW);
        assertThat(ExpectedInstances.of(5L, had3, 1, NOW, MEMORY))
                .isEqualTo(new ExpectedInstances.Expectation(5, ExpectedInstances.Source.CONFIG));
        assertThat(ExpectedInstances.of(0L, had3, 0, NOW, MEMORY))
                .isEqualTo(new ExpectedInstances.Expectation(0, ExpectedInstances.Source.CONFIG));
    }

    @Test
    void hadThreeNowNoneIsThreeMissingAndNotConverged() {
        Convergence vanished = pin(0, 0, new ExpectedInstances.Expectation(3, ExpectedInstances.Source.HISTORY));

        assertThat(vanished.missingInstances()).isEqualTo(3);
        assertThat(vanished.ratio()).isEqualTo(0.0);
        assertThat(vanished.convergedAt(1.0)).isFalse();
        assertThat(vanished.convergedAt(0.0)).as("0%% asks for nothing").isTrue();
        // without an expectation the same empty pin has nothing to converge (the former rule)
        assertThat(pin(0, 0, null).ratio()).isNull();
        assertThat(pin(0, 0, null).convergedAt(1.0)).isTrue();
    }

    @Test
    void missingInstancesCountAgainstMinConverged() {
        // 10 expected, 9 live and all on the pin: 90%, so 95% is not reached but 90% is
        Convergence oneGone = pin(9, 9, new ExpectedInstances.Expectation(10, ExpectedInstances.Source.CONFIG));
        assertThat(oneGone.missingInstances()).isEqualTo(1);
        assertThat(oneGone.ratio()).isEqualTo(0.9);
        assertThat(oneGone.convergedAt(0.95)).isFalse();
        assertThat(oneGone.convergedAt(0.9)).isTrue();
        // more live than expected is not negative missing, and converges on the live ones alone
        Convergence grown = pin(12, 12, new ExpectedInstances.Expectation(10, ExpectedInstances.Source.HISTORY));
        assertThat(grown.missingInstances()).isZero();
        assertThat(grown.ratio()).isEqualTo(1.0);
    }
}
