package io.lockstep.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterAndRegistryRetryTest {

    @Test
    void burstGoesAtOnceThenRequestsAreSpaced() throws Exception {
        RecordingSleeper sleeper = new RecordingSleeper();
        RateLimiter limiter = new RateLimiter(10, 3, sleeper::nanoTime, sleeper);
        for (int i = 0; i < 6; i++) {
            limiter.acquire();
        }
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100));

        sleeper.nanos.addAndGet(Duration.ofSeconds(10).toNanos()); // idle: the bucket refills to the burst, not beyond
        for (int i = 0; i < 4; i++) {
            limiter.acquire();
        }
        assertThat(sleeper.waits).hasSize(4);
    }

    @Test
    void concurrentReservationsQueueUp() {
        RecordingSleeper sleeper = new RecordingSleeper();
        RateLimiter limiter = new RateLimiter(4, 1, sleeper::nanoTime, sleeper);
        // Without time passing, each reservation waits one interval longer than the previous one.
        assertThat(limiter.reserve()).isEqualTo(Duration.ZERO);
        assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(250));
        assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void rejectsNonsense() {
        RecordingSleeper s = new RecordingSleeper();
        assertThatThrownBy(() -> new RateLimiter(0, 1, s::nanoTime, s)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new RateLimiter(1, 0, s::nanoTime, s)).hasMessageContaining("burst");
        assertThatThrownBy(() -> new RegistryRetry(0, Duration.ZERO, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts");
    }

    @Test
    void backoffDoublesIsCappedAndJitteredWithinHalfToFull() {
        RegistryRetry p = new RegistryRetry(10, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(30));
        assertThat(p.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(p.backoff(1, 1.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(2, 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(3, 0.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoff(9, 1.0)).isEqualTo(Duration.ofMillis(1000));
        assertThat(p.backoff(60, 0.5)).isEqualTo(Duration.ofMillis(750));
        assertThat(p.retryAfter(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.retryAfter(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void parsesBearerChallenges() {
        var cs = AuthChallenge.parse("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                + "scope=\"repository:a/b:pull,push\"");
        assertThat(cs).hasSize(1);
        assertThat(cs.get(0).isBearer()).isTrue();
        assertThat(cs.get(0).param("realm")).contains("https://auth.example/token");
        assertThat(cs.get(0).param("scope")).contains("repository:a/b:pull,push");
        var basic = AuthChallenge.parse("Basic realm=\"x\"");
        assertThat(basic).singleElement().satisfies(c -> assertThat(c.isBasic()).isTrue());
        assertThat(AuthChallenge.parse(null)).isEmpty();
    }
}
