package io.lockstep.http;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import io.lockstep.service.PromoteOutcome;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of the API, in one place. Field names follow the seed's control plane
 * ({@code template_name}, {@code image_digest}, …) so old and new clients read the same pins.
 */
public final class Views {
    private Views() {
    }

    public static Map<String, Object> pin(Pin p) {
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
        m.put("version", p.version());
        return m;
    }

    public static Map<String, Object> history(HistoryEntry e) {
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

    public static Map<String, Object> template(Template t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("repository", t.repository());
        m.put("kinds", t.kinds());
        m.put("group", t.group());
        m.put("pinnable", t.pinnable());
        return m;
    }

    public static Map<String, Object> environment(Environment e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("upstream", e.upstream());
        m.put("require_provenance", e.requireProvenance());
        m.put("verify_images", e.verifyImages());
        m.put("mirror_tag", e.mirrorTag());
        m.put("auto_promote", e.autoPromote());
        return m;
    }

    public static Map<String, Object> release(Release r) {
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

    public static Map<String, Object> fence(Fence f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("environment", f.environment());
        m.put("reason", f.reason());
        m.put("created_by", f.createdBy());
        m.put("created_at", f.createdAt().toString());
        m.put("expires_at", f.expiresAt().toString());
        return m;
    }

    public static Map<String, Object> outcome(PromoteOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", o.result().wire());
        m.put("template_name", o.pin() == null ? (o.entry() == null ? null : o.entry().key().template())
                : o.pin().key().template());
        m.put("previous_digest", o.previousDigest());
        m.put("pin", o.pin() == null ? null : pin(o.pin()));
        m.put("history_seq", o.entry() == null ? null : o.entry().seq());
        return m;
    }
}
