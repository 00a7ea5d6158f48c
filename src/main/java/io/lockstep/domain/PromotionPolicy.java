package io.lockstep.domain;

import java.util.List;

/**
 * An environment's promotion policy ({@code docs/policies.md}): the stage a change must have soaked
 * in first ({@code requires}, or null) and the spans in which it takes no promote
 * ({@code freeze_windows}) and the approvals it needs ({@code approvals}, or null). Kept as one value so each new policy of issue 12 (approvals, stop-the-line)
 * is a field here and a clause in {@link PromotionGate}, not another component of {@link Environment}.
 */
public record PromotionPolicy(StageRequirement requires, List<FreezeWindow> freezeWindows, ApprovalPolicy approvals) {
    public static final PromotionPolicy NONE = new PromotionPolicy(null, List.of());

    public PromotionPolicy {
        freezeWindows = freezeWindows == null ? List.of() : List.copyOf(freezeWindows);
    }

    public PromotionPolicy(StageRequirement requires, List<FreezeWindow> freezeWindows) {
        this(requires, freezeWindows, null);
    }

    public static PromotionPolicy approvedBy(ApprovalPolicy approvals) {
        return new PromotionPolicy(null, List.of(), approvals);
    }

    public static PromotionPolicy requiring(StageRequirement requires) {
        return new PromotionPolicy(requires, List.of());
    }

    public static PromotionPolicy frozenDuring(List<FreezeWindow> windows) {
        return new PromotionPolicy(null, windows);
    }
}
