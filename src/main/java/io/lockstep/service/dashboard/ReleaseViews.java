package io.lockstep.service.dashboard;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Refusal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pure part of the Releases page: what the promote gate's refusals (the same list
 * {@code GET …/promotability} answers) say about where a release is. No rule is decided here; the gate decided.
 */
public final class ReleaseViews {
    private ReleaseViews() {
    }

    /** The policy refusals a state is named after, hardest to clear first; any other refusal is "blocked". */
    private static final List<Problem> NAMED = List.of(Problem.NOT_IN_UPSTREAM, Problem.FROZEN, Problem.SOAKING,
            Problem.APPROVAL_REQUIRED);

    /**
     * The state of one release in one environment: {@code current}, else {@code promotable} when the gate refuses
     * nothing, else {@code blocked} by the first refusal that is not a stage, freeze or approval clause (a fence, a
     * line stop, the image, the release itself), else named after the hardest of those clauses: not in the upstream
     * yet, frozen, soaking, awaiting approvals. Every reason is kept, in the gate's order; Approve is offered
     * whenever approvals are among them.
     */
    public static ReleasesView.EnvState state(String environment, boolean current, List<Refusal> refusals,
                                              boolean mayPromote, boolean mayApprove) {
        List<ReleasesView.Reason> reasons = refusals.stream()
                .map(r -> new ReleasesView.Reason(r.problem().code(), r.message())).toList();
        if (current) {
            return new ReleasesView.EnvState(environment, "current", "CURRENT",
                    "Every member is pinned to this release.", List.of(), false, false);
        }
        if (refusals.isEmpty()) {
            return new ReleasesView.EnvState(environment, "promotable", "PROMOTABLE",
                    "A promote would pass the gate now.", reasons, mayPromote, false);
        }
        boolean approve = mayApprove && refusals.stream().anyMatch(r -> r.problem() == Problem.APPROVAL_REQUIRED);
        Refusal other = refusals.stream().filter(r -> !NAMED.contains(r.problem())).findFirst().orElse(null);
        if (other != null) {
            return new ReleasesView.EnvState(environment, "blocked", "BLOCKED", "Blocked: " + other.message(),
                    reasons, mayPromote, approve);
        }
        Refusal first = refusals.stream().min(java.util.Comparator.comparingInt(r -> NAMED.indexOf(r.problem())))
                .orElseThrow();
        Map<String, Object> d = first.details();
        return switch (first.problem()) {
            case NOT_IN_UPSTREAM -> new ReleasesView.EnvState(environment, "not_yet", "NOT YET",
                    "Not yet in " + d.get("upstream") + ".", reasons, mayPromote, approve);
            case FROZEN -> new ReleasesView.EnvState(environment, "frozen", "FROZEN",
                    "Frozen by window " + d.get("window") + " until " + d.get("frozen_until") + ".", reasons,
                    mayPromote, approve);
            case SOAKING -> new ReleasesView.EnvState(environment, "soaking", "SOAKING",
                    "Soaking in " + d.get("upstream") + " until " + d.get("soaked_at") + ".", reasons, mayPromote,
                    approve);
            default -> {
                int needed = number(d.get("needed"));
                int have = number(d.get("have"));
                List<?> by = d.get("approvers") instanceof List<?> l ? l : List.of();
                yield new ReleasesView.EnvState(environment, "awaiting_approval", "AWAITING APPROVAL",
                        "Awaiting " + (needed - have) + " approval" + (needed - have == 1 ? "" : "s") + " (" + have
                                + " of " + needed + (by.isEmpty() ? "" : ", by " + String.join(", ",
                                by.stream().map(String::valueOf).toList())) + ").",
                        reasons, mayPromote, approve);
            }
        };
    }

    /** A refused action's answer as the page shows it: the first reason, then every {@code other_refusals} entry. */
    public static ReleasesView.Notice refusal(String title, LockstepException e) {
        List<ReleasesView.Reason> reasons = new ArrayList<>();
        reasons.add(new ReleasesView.Reason(e.code(), e.getMessage()));
        if (e.details().get(Refusal.OTHER_REFUSALS) instanceof List<?> others) {
            for (Object o : others) {
                if (o instanceof Map<?, ?> m) {
                    reasons.add(new ReleasesView.Reason(String.valueOf(m.get("code")), String.valueOf(m.get("error"))));
                }
            }
        }
        return new ReleasesView.Notice("refusal", e.code(), title, reasons);
    }

    private static int number(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }
}
