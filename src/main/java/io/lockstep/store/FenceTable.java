package io.lockstep.store;

import io.lockstep.domain.Fence;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** The SQL of the {@code fences} table: rollout locks on an environment until they expire. */
interface FenceTable {

    @SqlQuery("SELECT * FROM fences WHERE environment = :environment ORDER BY created_at")
    List<Fence> of(String environment);

    default void save(Fence f) {
        insert(f, f.createdAt().toEpochMilli(), f.expiresAt().toEpochMilli());
    }

    @SqlUpdate("INSERT INTO fences (id, environment, reason, created_by, created_at, expires_at)"
            + " VALUES (:f.id, :f.environment, :f.reason, :f.createdBy, :createdAt, :expiresAt)")
    void insert(@BindMethods("f") Fence f, long createdAt, long expiresAt);

    /** Whether a fence was lifted. */
    @SqlUpdate("DELETE FROM fences WHERE environment = :environment AND id = :id")
    boolean delete(String environment, String id);
}
