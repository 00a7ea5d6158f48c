package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Action;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.PinKey;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.lockstep.wire.JsonFields.instant;
import static io.lockstep.wire.JsonFields.strings;
import static io.lockstep.wire.JsonFields.text;

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
        m.put("release_id", e.releaseId());
        m.put("at", e.at().toString());
        m.put("hash", e.hash());
        return m;
    }

    /** The API does not send the previous entry's hash, so {@code prevHash} reads as null. */
    public static HistoryEntry read(JsonNode e) {
        String action = text(e, "action");
        return new HistoryEntry(e.path("seq").asLong(), new PinKey(text(e, "environment"), text(e, "template_name"),
                text(e, "region")), text(e, "from_digest"), text(e, "to_digest"), text(e, "git_sha"),
                text(e, "runtime_version"), text(e, "notes"), text(e, "promoted_by"), strings(e.path("provenance")),
                action == null ? null : Action.fromWire(action), instant(e, "at"), text(e, "release_id"), null,
                text(e, "hash"));
    }
}
