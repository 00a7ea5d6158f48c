package io.lockstep.wire;

import io.lockstep.domain.Approval;
import io.lockstep.domain.ApprovalRequest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An approval (who consented to which change, until when, and whether it is still live) and a pending request. */
public final class ApprovalJson {
    private ApprovalJson() {
    }

    public static Map<String, Object> write(Approval a, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("environment", a.environment());
        subject(m, a.releaseId(), a.template(), a.digest(), a.region());
        m.put("approver", a.approver());
        m.put("approver_scopes", a.approverScopes());
        m.put("notes", a.notes());
        m.put("approved_at", a.approvedAt().toString());
        m.put("expires_at", a.expiresAt().toString());
        m.put("state", a.state(now));
        m.put("revoked_at", a.revokedAt() == null ? null : a.revokedAt().toString());
        m.put("revoked_by", a.revokedBy());
        m.put("used_at", a.usedAt() == null ? null : a.usedAt().toString());
        return m;
    }

    public static Map<String, Object> write(ApprovalRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("environment", r.environment());
        subject(m, r.releaseId(), r.template(), r.digest(), r.region());
        m.put("requested_by", r.requestedBy());
        m.put("requested_at", r.requestedAt().toString());
        return m;
    }

    private static void subject(Map<String, Object> m, String releaseId, String template, String digest, String region) {
        if (releaseId != null) {
            m.put("release", releaseId);
        } else {
            m.put("template", template);
            m.put("digest", digest);
            m.put("region", region);
        }
    }
}
