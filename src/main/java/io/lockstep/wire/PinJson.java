package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.ProvenanceKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.lockstep.wire.JsonFields.instant;
import static io.lockstep.wire.JsonFields.strings;
import static io.lockstep.wire.JsonFields.text;

/** A pin, as the pin list, resolve, promote outcomes and the drift input carry it. */
public final class PinJson {
    private PinJson() {
    }

    public static Map<String, Object> write(Pin p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("environment", p.key().environment());
        m.put("template_name", p.key().template());
        m.put("region", p.key().region());
        m.put("image_digest", p.digest());
        m.put("image_ref", p.imageRef());
        m.put("git_sha", p.gitSha());
        m.put("runtime_version", p.runtimeVersion());
        m.put("promoted_at", p.promotedAt().toString());
        m.put("promoted_by", p.promotedBy());
        m.put("notes", p.notes());
        m.put("provenance", p.provenance());
        m.put("provenance_kind", p.provenanceKindShown().wire());
        m.put("version", p.version());
        return m;
    }

    public static Pin read(JsonNode p) {
        return new Pin(new PinKey(text(p, "environment"), text(p, "template_name"), text(p, "region")),
                text(p, "image_digest"), text(p, "image_ref"), text(p, "git_sha"), text(p, "runtime_version"),
                instant(p, "promoted_at"), text(p, "promoted_by"), text(p, "notes"), strings(p.path("provenance")),
                p.path("version").asLong(0), ProvenanceKind.fromWire(text(p, "provenance_kind")));
    }
}
