package io.lockstep.wire;

import io.lockstep.domain.Fence;

import java.util.LinkedHashMap;
import java.util.Map;

/** A fence: who holds the environment, why, and until when. */
public final class FenceJson {
    private FenceJson() {
    }

    public static Map<String, Object> write(Fence f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("environment", f.environment());
        m.put("reason", f.reason());
        m.put("created_by", f.createdBy());
        m.put("created_at", f.createdAt().toString());
        m.put("expires_at", f.expiresAt().toString());
        return m;
    }
}
