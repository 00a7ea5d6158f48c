package io.lockstep.wire;

import io.lockstep.domain.LineStop;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stop of the line (a freeze set by a person): what it covers, who set it, why, since and until when. */
public final class LineStopJson {
    private LineStopJson() {
    }

    public static Map<String, Object> write(LineStop s, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("environment", s.environment());
        m.put("group", s.group());
        m.put("reason", s.reason());
        m.put("stopped_by", s.stoppedBy());
        m.put("since", s.since().toString());
        m.put("until", s.until() == null ? null : s.until().toString());
        m.put("active", s.activeAt(now));
        m.put("lifted_at", s.liftedAt() == null ? null : s.liftedAt().toString());
        m.put("lifted_by", s.liftedBy());
        m.put("lift_reason", s.liftReason());
        return m;
    }
}
