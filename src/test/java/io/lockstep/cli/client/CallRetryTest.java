package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.Problem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CallRetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CallRetry policy = new CallRetry(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private static ApiResponse answer(int status, String code, Boolean retryable) {
        ObjectNode body = JSON.createObjectNode().put("error", "x").put("code", code);
        if (retryable != null) {
            body.put("retryable", retryable);
        }
        return new ApiResponse(status, body.toString(), body, null);
    }

    @Test
    void theServersFlagDecidesNotTheCode() {
        assertThat(policy.retryable(answer(409, "FENCED", true))).isTrue();
        assertThat(policy.retryable(answer(409, "FENCED", false))).isFalse();
        // A 409 the CLI has never heard of (say, a future APPROVAL_PENDING) follows the flag too.
        assertThat(policy.retryable(answer(409, "APPROVAL_PENDING", false))).isFalse();
        assertThat(policy.retryable(answer(409, "DIGEST_CONFLICT", true))).isTrue();
    }

    @Test
    void onlyA409IsEverRetriedWhateverTheFlagSays() {
        for (int status : new int[]{400, 401, 403, 404, 422, 500, 503}) {
            assertThat(policy.retryable(answer(status, "SERVER_BUSY", true))).as("HTTP %d", status).isFalse();
        }
        assertThat(policy.retryable(ApiResponse.unreachable("refused"))).isFalse();
    }

    @Test
    void anOlderServerWithoutTheFlagGetsTheFormerRule() {
        assertThat(policy.retryable(answer(409, "FENCED", null))).isTrue();
        assertThat(policy.retryable(answer(409, "TEMPLATE_EXISTS", null))).isTrue();
        for (String permanent : Set.of("DIGEST_CONFLICT", "RELEASE_CONFLICT", "NOTHING_TO_ROLL_BACK")) {
            assertThat(policy.retryable(answer(409, permanent, null))).as(permanent).isFalse();
        }
        assertThat(policy.retryable(answer(503, "SERVER_BUSY", null))).isFalse();
    }

    @Test
    void theCatalogueKeepsTheFormerRuleForEveryConflictACliWriteCanMeet() {
        // The 409s promote, rollback and publish can answer; the CLI decides the same as before for each.
        // HISTORY_HEAD_MISSING is the one deliberate change: the chain needs an operator, so it is not retried.
        // HELD, like DATA_DIRECTORY_IN_USE, is never an HTTP answer (only a watch's auto-promote meets it).
        // IMAGE_GONE answers a resolve (a read the CLI never retries), never a write.
        // The approvals' own 409s came with the approvals commands (issue 12), which never had a former rule:
        // an approval in an environment without approvals, or revoking a used one, cannot succeed by retrying.
        // Likewise the webhook subscriptions' 409s (issue 13): no CLI write meets them, and a retry cannot help.
        for (Problem p : Problem.values()) {
            if (p.kind() != ErrorKind.CONFLICT || Set.of(Problem.HISTORY_HEAD_MISSING, Problem.TEMPLATE_EXISTS,
                    Problem.KIND_TAKEN, Problem.DATA_DIRECTORY_IN_USE, Problem.HELD, Problem.IMAGE_GONE,
                    Problem.APPROVALS_NOT_CONFIGURED, Problem.APPROVAL_NOT_REVOCABLE, Problem.SUBSCRIPTION_EXISTS,
                    Problem.SUBSCRIPTION_FROM_CONFIG, Problem.SUBSCRIPTION_LIMIT).contains(p)) {
                continue;
            }
            assertThat(policy.retryable(answer(409, p.code(), p.retryable())))
                    .as(p.code()).isEqualTo(policy.retryable(answer(409, p.code(), null)));
        }
        assertThat(policy.retryable(answer(409, "HISTORY_HEAD_MISSING", Problem.HISTORY_HEAD_MISSING.retryable()))).isFalse();
    }
}
