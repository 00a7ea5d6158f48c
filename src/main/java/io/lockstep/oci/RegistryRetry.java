package io.lockstep.oci;

import java.time.Duration;

/**
 * How often and how patiently to retry a request the registry answered with 429/5xx, or that failed
 * to connect or timed out. Backoff doubles from {@code initialBackoff} up to {@code maxBackoff}, and
 * each wait is jittered down to between 50% and 100% of that value so many clients retrying at once
 * do not stay in step. A {@code Retry-After} from the registry replaces the computed wait but is
 * capped at {@code maxRetryAfter}, so a hostile or confused registry cannot park us for an hour.
 *
 * @param maxAttempts total attempts including the first (1 = no retries)
 */
public record RegistryRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public static final RegistryRetry DEFAULT = new RegistryRetry(4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30));
    public static final RegistryRetry NONE = new RegistryRetry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RegistryRetry {
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("retry maxAttempts must be between 1 and 20, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("retry durations must not be negative");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry maxBackoff must be >= initialBackoff");
        }
    }

    /**
     * The wait before attempt {@code failedAttempt + 1}.
     *
     * @param failedAttempt 1 for the first failure
     * @param jitter        a value in [0, 1); 0 gives the shortest (half) wait
     */
    public Duration backoff(int failedAttempt, double jitter) {
        long base = initialBackoff.toNanos();
        long capped = maxBackoff.toNanos();
        long exp = base;
        for (int i = 1; i < failedAttempt && exp < capped; i++) {
            exp = Math.min(capped, exp * 2);
        }
        exp = Math.min(capped, exp);
        long jittered = exp / 2 + (long) ((exp / 2) * Math.max(0, Math.min(1, jitter)));
        return Duration.ofNanos(jittered);
    }

    /** A registry-requested wait, capped. */
    public Duration retryAfter(Duration requested) {
        if (requested.isNegative()) {
            return Duration.ZERO;
        }
        return requested.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : requested;
    }
}
