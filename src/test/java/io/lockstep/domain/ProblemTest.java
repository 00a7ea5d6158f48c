package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTest {

    @Test
    void eachCodeHasOneEntryPerKindAndOneRetryAnswer() {
        Set<String> codeAndKind = new HashSet<>();
        for (Problem p : Problem.values()) {
            assertThat(codeAndKind.add(p.code() + "/" + p.kind())).as("duplicate entry %s", p).isTrue();
            assertThat(p.code()).matches("[A-Z][A-Z0-9_]*");
            for (Problem same : Problem.withCode(p.code())) {
                assertThat(same.retryable()).as("%s and %s disagree on retrying", p, same).isEqualTo(p.retryable());
            }
        }
    }

    @Test
    void onlyAFenceAFreezeWindowASoakOrAnOutsideFaultIsWorthRetrying() {
        List<String> retryable = Arrays.stream(Problem.values()).filter(Problem::retryable).map(Problem::name).toList();
        // FROZEN and SOAKING end by themselves at a known instant, like a fence (issue 12)
        assertThat(retryable).containsExactlyInAnyOrder("FENCED", "FROZEN", "LINE_STOPPED", "SOAKING", "UPSTREAM_NOT_CONVERGED", "DATA_DIRECTORY_IN_USE", "STORE_UNAVAILABLE",
                "STORE_DISK_FULL", "STORE_READ_ONLY", "STORE_WRITE_REFUSED", "SERVER_BUSY", "REGISTRY_UNAVAILABLE", "UPSTREAM_UNAVAILABLE",
                "ISSUER_UNAVAILABLE");
        // Every 503 recovers by itself; nothing a caller must change (4xx other than a fence, window or soak) is retryable.
        for (Problem p : Problem.values()) {
            if (p.kind() == ErrorKind.UNAVAILABLE) {
                assertThat(p.retryable()).as(p.name()).isTrue();
            }
            if (p.kind() == ErrorKind.INVALID || p.kind() == ErrorKind.UNPROCESSABLE || p.kind() == ErrorKind.FORBIDDEN
                    || p.kind() == ErrorKind.NOT_FOUND || p.kind() == ErrorKind.UNAUTHENTICATED) {
                assertThat(p.retryable()).as(p.name()).isFalse();
            }
        }
    }

    @Test
    void aConflictThatWaitingCannotChangeIsNotRetryable() {
        assertThat(Problem.isRetryable("FENCED")).isTrue();
        assertThat(Problem.isRetryable("DIGEST_CONFLICT")).isFalse();
        assertThat(Problem.isRetryable("RELEASE_CONFLICT")).isFalse();
        assertThat(Problem.isRetryable("NOTHING_TO_ROLL_BACK")).isFalse();
        assertThat(Problem.isRetryable("HISTORY_HEAD_MISSING")).isFalse();
        assertThat(Problem.isRetryable("SERVER_BUSY")).isTrue();
        assertThat(Problem.isRetryable("NO_SUCH_CODE")).isFalse();
        assertThat(Problem.isRetryable(null)).isFalse();
    }

    @Test
    void aCodeNamedByTheUrlIs404AndByABodyIs422() {
        assertThat(Problem.withCode("UNKNOWN_TEMPLATE")).extracting(Problem::kind)
                .containsExactlyInAnyOrder(ErrorKind.NOT_FOUND, ErrorKind.UNPROCESSABLE);
        assertThat(Problem.withCode("RUNTIME_PIN_MISSING")).extracting(Problem::kind)
                .containsExactlyInAnyOrder(ErrorKind.NOT_FOUND, ErrorKind.UNPROCESSABLE);
        assertThat(Problem.withCode("FENCED")).containsExactly(Problem.FENCED);
        assertThat(Problem.withCode("NO_SUCH_CODE")).isEmpty();
    }

    @Test
    void anExceptionTakesCodeKindAndRetryFromItsProblem() {
        LockstepException e = new LockstepException(Problem.FENCED, "Environment prod is fenced.");
        assertThat(e.code()).isEqualTo("FENCED");
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(e.kind().httpStatus()).isEqualTo(409);
        assertThat(e.retryable()).isTrue();
        assertThat(new LockstepException(Problem.UNKNOWN_TEMPLATE_REFERENCED, "x").kind().httpStatus()).isEqualTo(422);
        assertThat(new LockstepException(Problem.INVALID_DIGEST, "x").retryable()).isFalse();
    }
}
