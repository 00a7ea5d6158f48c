package io.lockstep.store;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;

import java.util.Map;

/**
 * The store cannot take the request right now for a reason outside Lockstep (the database went
 * away, its disk is full, its files are read-only, it refused the write). Nothing was changed;
 * callers answer 503 with the reason's code and a {@code Retry-After}, and keep serving resolve
 * from the in-memory snapshot. {@link StoreFailures} decides which reason a driver error is.
 */
public class StoreUnavailableException extends LockstepException {

    /**
     * Why the store is unavailable: the catalogue's problem (code, retryable) plus the sentence an
     * operator can act on and how long a client should wait.
     */
    public enum Reason {
        UNAVAILABLE(Problem.STORE_UNAVAILABLE, "the database is not reachable or dropped the connection", 5),
        DISK_FULL(Problem.STORE_DISK_FULL, "the database disk is full", 30),
        READ_ONLY(Problem.STORE_READ_ONLY, "the database files are read-only", 30),
        WRITE_REFUSED(Problem.STORE_WRITE_REFUSED, "the database refused the write (a trigger, permission or constraint"
                + " outside Lockstep rejected it)", 30);

        private final Problem problem;
        private final String sentence;
        private final int retryAfterSeconds;

        Reason(Problem problem, String sentence, int retryAfterSeconds) {
            this.problem = problem;
            this.sentence = sentence;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public String code() {
            return problem.code();
        }

        public String sentence() {
            return sentence;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }

        /** WRITE_REFUSED is about one statement, not the store, so only the others make it not ready. */
        public boolean affectsReadiness() {
            return this != WRITE_REFUSED;
        }
    }

    private final Reason reason;

    public StoreUnavailableException(Reason reason, String detail, Throwable cause) {
        super(reason.problem, capitalised(reason.sentence()) + (detail == null ? "" : " (" + detail + ")")
                + "; nothing was changed. Resolve keeps answering from memory; retry once the store is back.",
                Map.<String, Object>of("retry_after_seconds", reason.retryAfterSeconds()));
        this.reason = reason;
        initCause(cause);
    }

    /** Compatibility with callers that only know the store is unreachable. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(Problem.STORE_UNAVAILABLE, message,
                Map.<String, Object>of("retry_after_seconds", Reason.UNAVAILABLE.retryAfterSeconds()));
        this.reason = Reason.UNAVAILABLE;
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
