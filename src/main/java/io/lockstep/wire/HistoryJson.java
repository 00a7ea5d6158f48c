package io.lockstep.wire;

import io.lockstep.domain.HistoryEntry;

import java.util.LinkedHashMap;
import java.util.Map;

/** One history entry, with the hash that chains it to the entry before. */
public final class HistoryJson {
    private HistoryJson() {
    }

    public static Map<String, Object> write(HistoryEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("environment", e.key().environment());
        m.put("template_name", e.key().template());
        m.put("region", e.key().region());
        m.put("action", e.action().wire());
        m.put("from_digest", e.fromDigest());
        m.put("to_digest", e.toDigest());
        m.put("git_sha", e.gitSha());
        m.put("runtime_version", e.runtimeVersion());
        m.put("notes", e.notes());
        m.put("promoted_by", e.promotedBy());
        m.put("provenance", e.provenance());
        m.put("provenance_kind", e.provenanceKindShown().wire());
        m.put("release_id", e.releaseId());
        m.put("at", e.at().toString());
        if (e.overrideReason() != null) {
            Map<String, Object> override = new LinkedHashMap<>();
            override.put("reason", e.overrideReason());
            override.put("overrode", e.overrode() == null ? java.util.List.of() : e.overrode());
            m.put("override", override);
        }
        m.put("hash", e.hash());
        return m;
    }
}
