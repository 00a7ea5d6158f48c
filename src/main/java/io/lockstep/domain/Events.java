package io.lockstep.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
