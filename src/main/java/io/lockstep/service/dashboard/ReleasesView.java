package io.lockstep.service.dashboard;

import java.util.List;

/**
 * What the Releases page shows: per release (newest first) its members and digests, whether it names every
 * member of its group, and per environment the caller may see where it is, from the promote gate's own answer.
 * Built by {@link ReleaseViews}; no HTML here.
 *
 * @param notice what the last action answered (a refusal with every reason, or what was done), or null
 */
public record ReleasesView(List<String> environments, List<Row> releases, String group, List<String> groupChoices,
                           int shown, int total, Notice notice) {

    public record Row(String id, String group, String runtimeVersion, String gitSha, String createdAt,
                      String createdBy, List<Member> members, List<String> excluded, List<String> missing,
                      List<EnvState> environments) {
        public boolean complete() {
            return missing.isEmpty();
        }
    }

    public record Member(String template, String digest, String shortDigest) {
    }

    /**
     * Where a release is in one environment. {@code state}: {@code current} (every member pinned to it),
     * {@code soaking}, {@code awaiting_approval}, {@code frozen}, {@code not_yet} (not in the upstream yet),
     * {@code blocked} (another refusal) or {@code promotable}; {@code text} says it in words (the time, the
     * approvals, the window); {@code reasons} every refusal's sentence, in the gate's order.
     */
    public record EnvState(String environment, String state, String label, String text, List<Reason> reasons,
                           boolean canPromote, boolean canApprove) {
    }

    /** One refusal: its Problem code and the API's sentence. */
    public record Reason(String code, String message) {
    }

    /** {@code kind} {@code refusal} (with {@code code}, the first reason's) or {@code done}. */
    public record Notice(String kind, String code, String title, List<Reason> reasons) {
    }
}
