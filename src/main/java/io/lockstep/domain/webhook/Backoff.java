package io.lockstep.domain.webhook;

import java.time.Duration;

/**
 * How long a delivery waits before its next attempt: exponential from {@code initial}, capped at {@code max},
 * with "full jitter" in its upper half (so receivers recovering from an outage are not hit by every
 * subscription at the same instant), and never sooner than a receiver's {@code Retry-After}.
 */
public record Backoff(Duration initial, Duration max) {
    /** Retry-After above this is treated as this: a receiver cannot park a subscription for days. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    /**
     * The wait after failed attempt number {@code attempt} (1 for the first); {@code jitter} in [0, 1) is
     * the random input, {@code retryAfter} the receiver's ask or null.
     */
    public Duration after(int attempt, double jitter, Duration retryAfter) {
        long base = initial.toMillis();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long exp = Math.min(max.toMillis(), base << shift >= base ? base << shift : max.toMillis());
        long wait = exp / 2 + (long) (exp / 2.0 * Math.min(Math.max(jitter, 0), 1));
        Duration d = Duration.ofMillis(Math.max(wait, 1));
        if (retryAfter != null && !retryAfter.isNegative()) {
            Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
            if (asked.compareTo(d) > 0) {
                d = asked;
            }
        }
        return d;
    }
}
