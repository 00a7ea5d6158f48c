package io.lockstep.domain;

import java.util.Map;

/**
 * A failure a caller can act on: a human sentence plus a stable machine code
 * (e.g. {@code RUNTIME_PIN_MISSING}). Details carry structured context such as the current digest
 * of a pin in a compare-and-set conflict, so clients need not parse the sentence.
 */
public class LockstepException extends RuntimeException {
    private final ErrorKind kind;
    private final String code;
    private final Map<String, Object> details;

    public LockstepException(Problem problem, String message) {
        this(problem.kind(), problem.code(), message, Map.of());
    }

    public LockstepException(Problem problem, String message, Map<String, Object> details) {
        this(problem.kind(), problem.code(), message, details);
    }

    // Every code comes from the catalogue, so status, retryability and docs cannot disagree.
    private LockstepException(ErrorKind kind, String code, String message, Map<String, Object> details) {
        super(message);
        this.kind = kind;
        this.code = code;
        // Not Map.copyOf: a detail may be null on purpose (e.g. current_digest of a pin that does not
        // exist yet), and Map.copyOf would turn that 409 into a 500. Insertion order is kept for the body.
        this.details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    public ErrorKind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** From the {@link Problem} catalogue, so every client reads the same answer. */
    public boolean retryable() {
        return Problem.isRetryable(code);
    }

    public Map<String, Object> details() {
        return details;
    }
}
