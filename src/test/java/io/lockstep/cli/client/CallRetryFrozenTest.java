package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A freeze window outlasting the retry budget stops the CLI at once, naming the window and when it ends. */
class CallRetryFrozenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFreezeBeyondTheBudgetIsNotWaitedForAndTheReasonNamesTheWindowAndItsEnd() {
        ObjectNode body = JSON.createObjectNode().put("error", "prod is frozen by window weekend until …")
                .put("code", "FROZEN").put("retryable", true).put("window", "weekend")
                .put("frozen_until", "2026-12-07T08:00+01:00").put("zone", "Europe/Berlin").put("retry_after_seconds", 86401);
        CallRetry policy = new CallRetry(Duration.ofSeconds(1), Duration.ofMinutes(5));
        ApiResponse r = new ApiResponse(409, body.toString(), body, null);
        assertThat(policy.retryable(r)).isTrue();
        CallRetry.Next next = policy.next(r, "prod", Duration.ofMinutes(5), Instant.parse("2026-12-06T07:00:00Z"));
        assertThat(next.stop()).isTrue();
        assertThat(next.reason()).startsWith("environment prod is frozen by window weekend until 2026-12-07T08:00+01:00"
                + " (Europe/Berlin), beyond the retry budget (");
    }

    @Test
    void aFreezeEndingWithinTheBudgetIsWaitedFor() {
        ObjectNode body = JSON.createObjectNode().put("error", "x").put("code", "FROZEN").put("retryable", true)
                .put("window", "w").put("retry_after_seconds", 3);
        CallRetry.Next next = new CallRetry(Duration.ofSeconds(1), Duration.ofMinutes(5))
                .next(new ApiResponse(409, body.toString(), body, null), "prod", Duration.ofMinutes(5), Instant.now());
        assertThat(next.stop()).isFalse();
        assertThat(next.delay()).isEqualTo(Duration.ofSeconds(3));
    }
}
