package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Release;
import io.lockstep.domain.ReleaseEvent;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.lockstep.wire.JsonFields.instant;
import static io.lockstep.wire.JsonFields.strings;
import static io.lockstep.wire.JsonFields.text;

/** A registered release: its members' digests, the members left out, and who vouched for it. */
public final class ReleaseJson {
    private ReleaseJson() {
    }

    public static Map<String, Object> write(Release r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("group", r.group());
        m.put("runtime_version", r.runtimeVersion());
        m.put("git_sha", r.gitSha());
        m.put("images", r.images());
        m.put("exclude", r.exclude());
        m.put("created_at", r.createdAt().toString());
        m.put("created_by", r.createdBy());
        m.put("registered_by", r.registrants().tokens());
        m.put("registrant_environments", r.registrants().environments());
        return m;
    }

    /** A replacement or withdrawal of a release ({@code GET /api/v1/release-events}, the withdraw answer). */
    public static Map<String, Object> writeEvent(ReleaseEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("release_id", e.releaseId());
        m.put("group", e.group());
        m.put("action", e.kind().wire());
        m.put("images_before", e.imagesBefore());
        if (e.kind() == ReleaseEvent.Kind.REPLACED) {
            m.put("images_after", e.imagesAfter());
        }
        m.put("actor", e.actor());
        m.put("reason", e.reason());
        m.put("at", e.at().toString());
        return m;
    }

    /** Reads what drift needs; the registrants read back as {@code created_by}'s, which drift never looks at. */
    public static Release read(JsonNode r) {
        return new Release(text(r, "id"), text(r, "group"), text(r, "runtime_version"), text(r, "git_sha"),
                strings(r.path("images")), strings(r.path("exclude")), instant(r, "created_at"), text(r, "created_by"));
    }
}
