package io.lockstep.store;

import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/**
 * The SQL of the {@code releases} table. A release's content never changes once stored; only who
 * vouched for it does ({@link #saveRegistrants}). Registrant environments are NULL for "every".
 */
interface ReleaseTable {

    @SqlQuery("SELECT * FROM releases ORDER BY created_at, id")
    List<Release> all();

    @SqlQuery("SELECT * FROM releases WHERE id = :id")
    Optional<Release> find(String id);

    @SqlQuery("SELECT * FROM releases WHERE lockstep_group = :group AND runtime_version = :runtimeVersion")
    Optional<Release> byVersion(String group, String runtimeVersion);

    default void save(Release r) {
        insert(r, Json.write(r.images()), Json.write(r.exclude()), r.createdAt().toEpochMilli(),
                Json.write(r.registrants().tokens()), environments(r.registrants()));
    }

    @SqlUpdate("INSERT INTO releases (id, lockstep_group, runtime_version, git_sha, images, exclude,"
            + " created_at, created_by, registered_by, registrant_environments)"
            + " VALUES (:r.id, :r.group, :r.runtimeVersion, :r.gitSha, :images, :exclude, :createdAt, :r.createdBy,"
            + " :registeredBy, :registrantEnvironments)")
    void insert(@BindMethods("r") Release r, String images, String exclude, long createdAt, String registeredBy,
                String registrantEnvironments);

    default void saveRegistrants(String releaseId, Registrants registrants) {
        updateRegistrants(releaseId, Json.write(registrants.tokens()), environments(registrants));
    }

    @SqlUpdate("UPDATE releases SET registered_by = :registeredBy, registrant_environments = :registrantEnvironments"
            + " WHERE id = :id")
    void updateRegistrants(String id, String registeredBy, String registrantEnvironments);

    private static String environments(Registrants r) {
        return r.everyEnvironment() ? null : Json.write(r.environments());
    }
}
