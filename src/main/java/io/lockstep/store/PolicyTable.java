package io.lockstep.store;

import io.lockstep.domain.PolicyChange;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;

/** The SQL of the {@code policy_changes} table: promotion policies set through the admin API, append-only. */
final class PolicyTable {
    private static final RowMapper<PolicyChange> ROW = (rs, ctx) -> new PolicyChange(rs.getLong("seq"),
            rs.getString("environment"), rs.getString("document"), rs.getString("changed_by"), rs.getString("reason"),
            Instant.ofEpochMilli(rs.getLong("changed_at")));
    private final Handle h;

    PolicyTable(Handle h) {
        this.h = h;
    }

    /** Every environment's newest change, the ones in force. */
    List<PolicyChange> newest() {
        return h.createQuery("SELECT * FROM policy_changes p WHERE seq = (SELECT MAX(seq) FROM policy_changes q"
                + " WHERE q.environment = p.environment) ORDER BY environment").map(ROW).list();
    }

    /** An environment's changes, newest first. */
    List<PolicyChange> of(String environment, int limit) {
        return h.createQuery("SELECT * FROM policy_changes WHERE environment = :e ORDER BY seq DESC LIMIT :limit")
                .bind("e", environment).bind("limit", limit).map(ROW).list();
    }

    /** Appends {@code change} with the next sequence number (the caller holds the write lock) and returns it. */
    PolicyChange append(PolicyChange change) {
        long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM policy_changes").mapTo(Long.class).one();
        h.createUpdate("INSERT INTO policy_changes (seq, environment, document, changed_by, reason, changed_at)"
                        + " VALUES (:seq, :e, :doc, :by, :reason, :at)")
                .bind("seq", seq).bind("e", change.environment()).bind("doc", change.document())
                .bind("by", change.changedBy()).bind("reason", change.reason())
                .bind("at", change.changedAt().toEpochMilli()).execute();
        return new PolicyChange(seq, change.environment(), change.document(), change.changedBy(), change.reason(),
                change.changedAt());
    }
}
