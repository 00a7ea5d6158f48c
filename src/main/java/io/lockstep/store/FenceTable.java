package io.lockstep.store;

import io.lockstep.domain.Fence;
import org.jdbi.v3.core.Handle;

import java.util.List;

/** The SQL of the {@code fences} table: rollout locks on an environment until they expire. */
final class FenceTable {
    private final Handle h;

    FenceTable(Handle h) {
        this.h = h;
    }

    List<Fence> of(String environment) {
        return h.createQuery("SELECT * FROM fences WHERE environment = :e ORDER BY created_at")
                .bind("e", environment).map(Rows.FENCE).list();
    }

    void save(Fence f) {
        h.createUpdate("INSERT INTO fences (id, environment, reason, created_by, created_at, expires_at)"
                        + " VALUES (:id, :e, :reason, :by, :at, :exp)")
                .bind("id", f.id()).bind("e", f.environment()).bind("reason", f.reason())
                .bind("by", f.createdBy()).bind("at", f.createdAt().toEpochMilli())
                .bind("exp", f.expiresAt().toEpochMilli()).execute();
    }

    /** Whether a fence was lifted. */
    boolean delete(String environment, String id) {
        return h.createUpdate("DELETE FROM fences WHERE environment = :e AND id = :id")
                .bind("e", environment).bind("id", id).execute() > 0;
    }
}
