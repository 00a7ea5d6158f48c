package io.lockstep.wire;

import io.lockstep.domain.Environment;

import java.util.LinkedHashMap;
import java.util.Map;

/** An environment as {@code GET /api/v1/environments} lists it, with its promote policy. */
public final class EnvironmentJson {
    private EnvironmentJson() {
    }

    public static Map<String, Object> write(Environment e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("upstream", e.upstream());
        m.put("require_provenance", e.requireProvenance());
        // Which provenance counts: "none", "declared" (complete declared or verified) or "verified" only.
        m.put("required_provenance", e.provenance().apiWord());
        m.put("verify_images", e.verifyImages());
        m.put("mirror_tag", e.mirrorTag());
        m.put("auto_promote", e.autoPromote());
        return m;
    }
}
