package io.lockstep.store;

import io.lockstep.domain.ApprovalRequest;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;

/** The SQL of the {@code approval_requests} table: changes refused for want of approval, until one goes through. */
final class ApprovalRequestTable {
    static final RowMapper<ApprovalRequest> REQUEST = (rs, ctx) -> new ApprovalRequest(rs.getString("id"),
            rs.getString("environment"), rs.getString("release_id"), rs.getString("template"), rs.getString("digest"),
            rs.getString("region"), rs.getString("requested_by"), Instant.ofEpochMilli(rs.getLong("requested_at")));

    private final Handle h;

    ApprovalRequestTable(Handle h) {
        this.h = h;
    }

    List<ApprovalRequest> pending(String environment) {
        return h.createQuery("SELECT * FROM approval_requests WHERE environment = :e AND fulfilled_at IS NULL"
                + " ORDER BY requested_at, id").bind("e", environment).map(REQUEST).list();
    }

    /** Records the request unless the same identity already waits for the same change (a retry asks once). */
    boolean save(ApprovalRequest r) {
        boolean waiting = h.createQuery("SELECT COUNT(*) FROM approval_requests WHERE environment = :e AND fulfilled_at IS NULL"
                        + " AND requested_by = :by AND " + same(r.releaseId()))
                .bind("e", r.environment()).bind("by", r.requestedBy()).bindMap(subject(r.releaseId(), r.template(),
                        r.digest(), r.region())).mapTo(Long.class).one() > 0;
        if (waiting) {
            return false;
        }
        h.createUpdate("INSERT INTO approval_requests (id, environment, release_id, template, digest, region, requested_by,"
                        + " requested_at) VALUES (:id, :e, :rel, :t, :d, :r, :by, :at)")
                .bind("id", r.id()).bind("e", r.environment()).bind("rel", r.releaseId()).bind("t", r.template())
                .bind("d", r.digest()).bind("r", r.region()).bind("by", r.requestedBy())
                .bind("at", r.requestedAt().toEpochMilli()).execute();
        return true;
    }

    /** Marks every pending request for this change (release, or template+digest+region) fulfilled. */
    void fulfil(String environment, String releaseId, String template, String digest, String region, Instant at) {
        h.createUpdate("UPDATE approval_requests SET fulfilled_at = :at WHERE environment = :e AND fulfilled_at IS NULL AND "
                        + same(releaseId))
                .bind("at", at.toEpochMilli()).bind("e", environment)
                .bindMap(subject(releaseId, template, digest, region)).execute();
    }

    /** The same change: the same release, or (no release) the same template, digest and region. */
    private static String same(String releaseId) {
        return releaseId != null ? "release_id = :rel"
                : "release_id IS NULL AND template = :t AND digest = :d AND region = :r";
    }

    private static java.util.Map<String, Object> subject(String releaseId, String template, String digest, String region) {
        return releaseId != null ? java.util.Map.of("rel", releaseId)
                : java.util.Map.of("t", template, "d", digest, "r", region);
    }
}
