package io.lockstep.store;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** The SQL of the {@code pins} table: the current digest of every (environment, template, region). */
interface PinTable {

    @SqlQuery("SELECT * FROM pins ORDER BY environment, template, region")
    List<Pin> all();

    @SqlQuery("SELECT * FROM pins WHERE environment = :environment AND template = :template AND region = :region")
    Optional<Pin> find(@BindMethods PinKey key);

    default void save(Pin p, String releaseId) {
        upsert(p, p.key(), p.promotedAt().toEpochMilli(), Json.write(p.provenance()), releaseId);
    }

    @SqlUpdate("INSERT INTO pins (environment, template, region, digest, image_ref, git_sha, runtime_version,"
            + " promoted_at, promoted_by, notes, provenance, release_id, version)"
            + " VALUES (:environment, :template, :region, :p.digest, :p.imageRef, :p.gitSha, :p.runtimeVersion,"
            + " :promotedAt, :p.promotedBy, :p.notes, :provenance, :releaseId, :p.version)"
            + " ON CONFLICT (environment, template, region) DO UPDATE SET digest = excluded.digest,"
            + " image_ref = excluded.image_ref, git_sha = excluded.git_sha,"
            + " runtime_version = excluded.runtime_version, promoted_at = excluded.promoted_at,"
            + " promoted_by = excluded.promoted_by, notes = excluded.notes,"
            + " provenance = excluded.provenance, release_id = excluded.release_id,"
            + " version = excluded.version")
    void upsert(@BindMethods("p") Pin p, @BindMethods PinKey key, long promotedAt, String provenance, String releaseId);
}
