package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Set;

/**
 * Only {@code 409} is retried (the seed contract: 400/401/403/422/503 and connection errors are
 * terminal), every {@code interval} until {@code budget} is spent, and only when the server marks it
 * {@code "retryable": true} (from its error catalogue, {@code domain/Problem}): a fence is lifted in
 * time, a digest mismatch never resolves by waiting.
 */
public record CallRetry(Duration interval, Duration budget) {
    /** Servers from before the {@code retryable} field: the 409s they send that waiting cannot change. */
    static final Set<String> PERMANENT_CONFLICTS_OF_OLDER_SERVERS =
            Set.of("RELEASE_CONFLICT", "DIGEST_CONFLICT", "NOTHING_TO_ROLL_BACK");

    public static final CallRetry NONE = new CallRetry(Duration.ZERO, Duration.ZERO);

    public boolean retryable(ApiResponse r) {
        if (r.status() != 409) {
            return false;
        }
        JsonNode flag = r.json().path("retryable");
        return flag.isBoolean() ? flag.booleanValue() : !PERMANENT_CONFLICTS_OF_OLDER_SERVERS.contains(r.code());
    }
}
