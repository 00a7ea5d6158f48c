package io.lockstep.cli.client;

import java.time.Duration;
import java.util.Set;

/**
 * Lesson 6 of the seed: only {@code 409} is retried, every {@code interval} until {@code budget} is
 * spent. 409s the server marks as permanent (a different release under the same version, an
 * expected-digest mismatch, nothing to roll back) are not retried: waiting cannot change them.
 * Everything else ({@code 400/401/403/422/503}, connection errors) is terminal.
 */
public record RetryPolicy(Duration interval, Duration budget) {
    static final Set<String> PERMANENT_CONFLICTS = Set.of("RELEASE_CONFLICT", "DIGEST_CONFLICT", "NOTHING_TO_ROLL_BACK");

    public static final RetryPolicy NONE = new RetryPolicy(Duration.ZERO, Duration.ZERO);

    public boolean retryable(ApiResponse r) {
        return r.status() == 409 && !PERMANENT_CONFLICTS.contains(r.code());
    }
}
