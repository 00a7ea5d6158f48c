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

    /** The state of one release in one environment: {@code current}, else by the gate's first refusal. */
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
        Refusal first = refusals.get(0);
        Map<String, Object> d = first.details();
        boolean awaiting = refusals.stream().anyMatch(r -> r.problem() == Problem.APPROVAL_REQUIRED);
        return switch (first.problem()) {
            case SOAKING -> new ReleasesView.EnvState(environment, "soaking", "SOAKING",
                    "Soaking in " + d.get("upstream") + " until " + d.get("soaked_at") + ".", reasons, mayPromote,
                    mayApprove && awaiting);
            case APPROVAL_REQUIRED -> {
                int needed = number(d.get("needed"));
                int have = number(d.get("have"));
                List<?> by = d.get("approvers") instanceof List<?> l ? l : List.of();
                yield new ReleasesView.EnvState(environment, "awaiting_approval", "AWAITING APPROVAL",
                        "Awaiting " + (needed - have) + " approval" + (needed - have == 1 ? "" : "s") + " (" + have
                                + " of " + needed + (by.isEmpty() ? "" : ", by " + String.join(", ",
                                by.stream().map(String::valueOf).toList())) + ").",
                        reasons, mayPromote, mayApprove);
            }
            case FROZEN -> new ReleasesView.EnvState(environment, "frozen", "FROZEN",
                    "Frozen by window " + d.get("window") + " until " + d.get("frozen_until") + ".", reasons,
                    mayPromote, mayApprove && awaiting);
            case NOT_IN_UPSTREAM -> new ReleasesView.EnvState(environment, "not_yet", "NOT YET",
                    "Not yet: " + first.message(), reasons, mayPromote, mayApprove && awaiting);
            default -> new ReleasesView.EnvState(environment, "blocked", "BLOCKED", first.message(), reasons,
                    mayPromote, mayApprove && awaiting);
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
