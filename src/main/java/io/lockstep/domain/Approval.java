package io.lockstep.domain;

import java.time.Instant;
import java.util.List;

/**
 * One identity's consent to one change in one environment: of a release ({@code releaseId}), or of
 * a single pin's digest ({@code template}, {@code digest}, {@code region}; {@code releaseId} null).
 * {@code approverScopes} are the scope words the approver's token granted when it approved (what
 * {@code from_scopes} is checked against, so a later change of the token's scopes does not rewrite
 * the past). It counts while {@linkplain #liveAt live}: not expired, revoked or used; the promote it
 * allows marks it used in its own write transaction, so one approval allows one change.
 */
public record Approval(String id, String environment, String releaseId, String template, String digest,
                       String region, String approver, List<String> approverScopes, String notes,
                       Instant approvedAt, Instant expiresAt, Instant revokedAt, String revokedBy, Instant usedAt) {
    public Approval {
        approverScopes = approverScopes == null ? List.of() : List.copyOf(approverScopes);
    }

    /** Unexpired (an approval expiring exactly at {@code now} no longer counts), not revoked, not used. */
    public boolean liveAt(Instant now) {
        return now.isBefore(expiresAt) && revokedAt == null && usedAt == null;
    }

    /** The change this approval is for, as a person reads it. */
    public String subject() {
        return subjectOf(releaseId, template, digest, region);
    }

    public static String subjectOf(String releaseId, String template, String digest, String region) {
        return releaseId != null ? "release " + releaseId : template + "@" + digest + " in region " + region;
    }

    /** Whether this approval is for the release {@code id}. */
    public boolean approves(String id) {
        return releaseId != null && releaseId.equals(id);
    }

    /** Whether this approval is for moving the pin {@code key} to {@code toDigest} (alone, not as a release). */
    public boolean approves(PinKey key, String toDigest) {
        return releaseId == null && key.template().equals(template) && key.region().equals(region)
                && toDigest != null && toDigest.equals(digest);
    }

    /** The state a list shows: live, expired, revoked or used (at {@code now}). */
    public String state(Instant now) {
        if (usedAt != null) {
            return "used";
        }
        if (revokedAt != null) {
            return "revoked";
        }
        return now.isBefore(expiresAt) ? "live" : "expired";
    }

    public Approval revoked(Instant at, String by) {
        return new Approval(id, environment, releaseId, template, digest, region, approver, approverScopes, notes,
                approvedAt, expiresAt, at, by, usedAt);
    }
}
