package io.lockstep.domain.drift;

import io.lockstep.domain.Event;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events of a drift transition (see {@link DriftTransitions}). Here rather than in
 * {@code domain/Events} because they are built from drift's values, and {@code domain} must not
 * depend on {@code domain.drift} (which depends on it). Told by the server's own observation, so
 * they carry no actor.
 */
public final class DriftEvents {
    private DriftEvents() {
    }

    /** {@code drift.changed}: {@code before} → {@code after}, with what the finding says now. */
    public static Event driftChanged(DriftState before, DriftState after, DriftFinding f, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", state(before));
        data.put("to", state(after));
        data.put("explanation", f.explanation());
        data.put("pinned_digest", f.pinnedDigest());
        data.put("current_release", f.currentReleaseId());
        data.put("newest_release", f.newestReleaseId());
        data.put("releases_behind", f.releasesBehind());
        data.put("behind_since", f.behindSince() == null ? null : f.behindSince().toString());
        return new Event(0, Event.DRIFT_CHANGED, at, f.environment(), f.template(), f.region(), f.group(), null, data);
    }

    /** {@code image.gone} or {@code mirror.stale}: the pin's digest, and the finding's sentence. */
    static Event observedFlag(String type, DriftFinding f, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("digest", f.pinnedDigest());
        data.put("explanation", f.explanation());
        return new Event(0, type, at, f.environment(), f.template(), f.region(), f.group(), null, data);
    }

    private static Map<String, Object> state(DriftState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", s.status().wire());
        m.put("flags", s.flags().stream().map(DriftStatus::wire).toList());
        return m;
    }
}
