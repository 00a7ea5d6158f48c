package io.lockstep.domain;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reason a change may not be applied: a {@link Problem} of the catalogue, the sentence a person
 * reads and the structured details a client reads (e.g. the fence's {@code retry_after_seconds}).
 */
public record Refusal(Problem problem, String message, Map<String, Object> details) {
    /** Details of the first refusal name the others under this key, so one answer lists every reason. */
    public static final String OTHER_REFUSALS = "other_refusals";

    public Refusal {
        // Not Map.copyOf: a detail may be null on purpose (current_digest of a pin not created yet).
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public Refusal(Problem problem, String message) {
        this(problem, message, Map.of());
    }

    /**
     * The refusal a thrown {@link LockstepException} stands for, e.g. an image check that failed
     * before the transaction began and is handed to the gate as a fact.
     */
    public static Refusal of(LockstepException e) {
        Problem problem = Arrays.stream(Problem.values())
                .filter(p -> p.code().equals(e.code()) && p.kind() == e.kind()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not in the catalogue: " + e.kind() + " " + e.code()));
        return new Refusal(problem, e.getMessage(), e.details());
    }

    public LockstepException exception() {
        return new LockstepException(problem, message, details);
    }

    /**
     * The one error for a list of refusals: the first decides status, code, sentence and details
     * (so an answer with one reason is what it always was); any others are added under
     * {@value #OTHER_REFUSALS} as {@code {"code", "error"}} pairs.
     */
    public static LockstepException exception(List<Refusal> refusals) {
        if (refusals.isEmpty()) {
            throw new IllegalArgumentException("no refusal");
        }
        Refusal first = refusals.get(0);
        if (refusals.size() == 1) {
            return first.exception();
        }
        Map<String, Object> details = new LinkedHashMap<>(first.details);
        details.put(OTHER_REFUSALS, refusals.subList(1, refusals.size()).stream()
                .map(Refusal::summary).toList());
        return new LockstepException(first.problem, first.message, details);
    }

    private Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", problem.code());
        m.put("error", message);
        return m;
    }
}
