package io.lockstep.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The events of a change, built from what the change already says (no I/O): every producer builds its
 * events here, so one fact always reads the same whichever entry point caused it.
 */
public final class Events {
    private Events() {
    }

    /**
     * {@code pin.promoted} (promote, release promote) or {@code pin.rolled_back}: the pin moved from
     * {@code before} (empty: it was created) to {@code change}'s digest; {@code seq} is its history entry.
     */
    public static Event pinMoved(PinChange change, Optional<Pin> before, String group, long seq) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", change.action().wire());
        data.put("from", before.map(p -> image(p.digest(), p.runtimeVersion(), p.gitSha())).orElse(null));
        data.put("to", image(change.toDigest(), change.runtimeVersion(), change.gitSha()));
        data.put("release", change.releaseId());
        data.put("notes", change.notes());
        data.put("provenance", change.provenance());
        data.put("provenance_kind", change.provenanceKind().wire());
        data.put("history_seq", seq);
        if (change.overrideReason() != null) {
            data.put("override", Map.of("reason", change.overrideReason(), "overrode", change.overrode()));
        }
        String type = change.action() == Action.ROLLBACK ? Event.PIN_ROLLED_BACK : Event.PIN_PROMOTED;
        return Event.of(type, change.at(), change.key(), group, change.promotedBy(), data);
    }

    /**
     * {@code release.promoted}: the release is now what {@code environment} (in {@code region}) runs;
     * {@code moved} the templates whose pin moved, {@code excluded} those it left alone on purpose.
     */
    public static Event releasePromoted(Release release, String environment, String region, List<String> moved,
                                        List<String> excluded, PinChange change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("release", release.id());
        data.put("runtime_version", release.runtimeVersion());
        data.put("git_sha", release.gitSha());
        data.put("region", region);
        data.put("moved", moved);
        data.put("excluded", excluded);
        data.put("provenance", change.provenance());
        data.put("provenance_kind", change.provenanceKind().wire());
        return new Event(0, Event.RELEASE_PROMOTED, change.at(), environment, null, region, release.group(),
                change.promotedBy(), data);
    }

    /**
     * {@code override.used}: an admin lifted the policy gates for one change, a pin's or (when
     * {@code change.releaseId()} is set) a whole release's; empty when the override lifted nothing.
     */
    public static Optional<Event> overrideUsed(PinChange change, String group) {
        if (change.overrideReason() == null || change.overrode().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", change.action().wire());
        data.put("release", change.releaseId());
        data.put("digest", change.releaseId() == null ? change.toDigest() : null);
        data.put("reason", change.overrideReason());
        data.put("overrode", change.overrode());
        PinKey key = change.key();
        return Optional.of(new Event(0, Event.OVERRIDE_USED, change.at(), key.environment(),
                change.releaseId() == null ? key.template() : null, key.region(), group, change.promotedBy(), data));
    }

    /**
     * {@code release.registered}: a new release (group, runtime version, commit, member digests) is known; it
     * moved no pin. {@code registrants} says for which environments its digests are vouched for (null: all).
     */
    public static Event releaseRegistered(Release r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("release", r.id());
        data.put("runtime_version", r.runtimeVersion());
        data.put("git_sha", r.gitSha());
        data.put("images", new TreeMap<>(r.images()));
        data.put("exclude", new TreeMap<>(r.exclude()));
        data.put("registrants", registrants(r.registrants()));
        return new Event(0, Event.RELEASE_REGISTERED, r.createdAt(), null, null, null, r.group(), r.createdBy(), data);
    }

    /**
     * {@code release.replaced}: a release nobody promoted yet was registered again with other images (the
     * same runtime version now means other digests); {@code from}/{@code to} the member digests.
     */
    public static Event releaseReplaced(Release before, Release after, String actor) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("release", after.id());
        data.put("runtime_version", after.runtimeVersion());
        data.put("git_sha", after.gitSha());
        data.put("from", new TreeMap<>(before.images()));
        data.put("to", new TreeMap<>(after.images()));
        data.put("exclude", new TreeMap<>(after.exclude()));
        data.put("registrants", registrants(after.registrants()));
        return new Event(0, Event.RELEASE_REPLACED, after.createdAt(), null, null, null, after.group(), actor, data);
    }

    /** {@code release.withdrawn}: a release nobody promoted was withdrawn; its runtime version is free again. */
    public static Event releaseWithdrawn(Release r, ReleaseEvent withdrawal) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("release", r.id());
        data.put("runtime_version", r.runtimeVersion());
        data.put("git_sha", r.gitSha());
        data.put("images", new TreeMap<>(r.images()));
        data.put("reason", withdrawal.reason());
        return new Event(0, Event.RELEASE_WITHDRAWN, withdrawal.at(), null, null, null, r.group(), withdrawal.actor(), data);
    }

    /** {@code approval.given}: {@code a.approver()} approved a release or one pin's digest; {@code group} the subject's. */
    public static Event approvalGiven(Approval a, String group) {
        Map<String, Object> data = approval(a.id(), a.releaseId(), a.digest());
        data.put("approver", a.approver());
        data.put("approver_scopes", a.approverScopes());
        data.put("notes", a.notes());
        data.put("expires_at", a.expiresAt().toString());
        return approvalEvent(Event.APPROVAL_GIVEN, a.approvedAt(), a.environment(), a.template(), a.region(), group,
                a.approver(), data);
    }

    /** {@code approval.revoked}: {@code revoked} (with its revoker and time) no longer counts. */
    public static Event approvalRevoked(Approval revoked, String group) {
        Map<String, Object> data = approval(revoked.id(), revoked.releaseId(), revoked.digest());
        data.put("approver", revoked.approver());
        data.put("approved_at", revoked.approvedAt().toString());
        return approvalEvent(Event.APPROVAL_REVOKED, revoked.revokedAt(), revoked.environment(), revoked.template(),
                revoked.region(), group, revoked.revokedBy(), data);
    }

    /** {@code approval.requested}: a change was refused for want of approval and now waits for one. */
    public static Event approvalRequested(ApprovalRequest r, String group) {
        return approvalEvent(Event.APPROVAL_REQUESTED, r.requestedAt(), r.environment(), r.template(), r.region(), group,
                r.requestedBy(), approval(r.id(), r.releaseId(), r.digest()));
    }

    /** {@code freeze.started}: someone stopped the line in an environment (or one group in it). */
    public static Event freezeStarted(LineStop s) {
        return new Event(0, Event.FREEZE_STARTED, s.since(), s.environment(), null, null, s.group(), s.stoppedBy(),
                freeze(s));
    }

    /** {@code freeze.lifted}: a stop was lifted before it ended by itself ({@code lifted} carries who, when, why). */
    public static Event freezeLifted(LineStop lifted) {
        Map<String, Object> data = freeze(lifted);
        data.put("lifted_by", lifted.liftedBy());
        data.put("lift_reason", lifted.liftReason());
        return new Event(0, Event.FREEZE_LIFTED, lifted.liftedAt(), lifted.environment(), null, null, lifted.group(),
                lifted.liftedBy(), data);
    }

    /**
     * {@code freeze.started} for an occurrence of a policy's freeze window ({@code window}), told by the server's
     * observation: the same fields as a stop of the line, {@code id} and {@code stopped_by} null.
     */
    public static Event freezeWindowStarted(String environment, FreezeWindow w, Instant since, Instant until) {
        return new Event(0, Event.FREEZE_STARTED, since, environment, null, null, null, null,
                windowFreeze(w.name(), w.describe(), since, until));
    }

    /** {@code freeze.lifted} for the occurrence {@code told} of a policy's freeze window; {@code why}: how it ended. */
    public static Event freezeWindowLifted(FreezeState told, Instant at, String why) {
        Map<String, Object> data = windowFreeze(told.window(), null, told.since(), told.until());
        data.put("lifted_by", null);
        data.put("lift_reason", why);
        return new Event(0, Event.FREEZE_LIFTED, at, told.environment(), null, null, null, null, data);
    }

    private static Map<String, Object> windowFreeze(String window, String describe, Instant since, Instant until) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", null);
        m.put("window", window);
        m.put("reason", describe == null ? "freeze window " + window : "freeze window " + window + " (" + describe + ")");
        m.put("stopped_by", null);
        m.put("since", since == null ? null : since.toString());
        m.put("until", until == null ? null : until.toString());
        return m;
    }

    /**
     * {@code policy.changed}: an admin set an environment's policy through the API ({@code policy} the document as
     * JSON values) or returned it to the configuration file's ({@code policy} null).
     */
    public static Event policyChanged(PolicyChange c, Map<String, Object> policy) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("seq", c.seq());
        data.put("action", c.resetsToConfig() ? "reset_to_config" : "set");
        data.put("reason", c.reason());
        data.put("changed_by", c.changedBy());
        data.put("policy", policy);
        return new Event(0, Event.POLICY_CHANGED, c.changedAt(), c.environment(), null, null, null, c.changedBy(), data);
    }

    private static Map<String, Object> registrants(Registrants r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", r.tokens());
        m.put("environments", r.environments() == null ? null : List.copyOf(r.environments()));
        return m;
    }

    private static Map<String, Object> approval(String id, String releaseId, String digest) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("release", releaseId);
        m.put("digest", digest);
        return m;
    }

    private static Event approvalEvent(String type, java.time.Instant at, String environment, String template,
                                       String region, String group, String actor, Map<String, Object> data) {
        return new Event(0, type, at, environment, template, region, group, actor, data);
    }

    private static Map<String, Object> freeze(LineStop s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("reason", s.reason());
        m.put("stopped_by", s.stoppedBy());
        m.put("since", s.since().toString());
        m.put("until", s.until() == null ? null : s.until().toString());
        return m;
    }

    /**
     * {@code fleet.converged} ({@code converged}) or {@code fleet.regressed}: the share of the fleet of
     * {@code c} running the pinned digest crossed {@code threshold}; told by the server's observation (no actor).
     */
    public static Event fleetCrossed(Convergence c, boolean converged, double threshold, String group,
                                     java.time.Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("digest", c.pinnedDigest());
        data.put("runtime_version", c.runtimeVersion());
        data.put("pin_region", c.pinRegion());
        data.put("ratio", c.ratio());
        data.put("threshold", threshold);
        data.put("instances", c.instances());
        data.put("converged_instances", c.converged());
        data.put("missing_instances", c.missingInstances());
        return new Event(0, converged ? Event.FLEET_CONVERGED : Event.FLEET_REGRESSED, at, c.environment(),
                c.template(), c.region(), group, null, data);
    }

    private static Map<String, Object> image(String digest, String runtimeVersion, String gitSha) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digest", digest);
        m.put("runtime_version", runtimeVersion);
        m.put("git_sha", gitSha);
        return m;
    }
}
