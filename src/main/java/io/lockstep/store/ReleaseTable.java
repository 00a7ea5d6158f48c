package io.lockstep.store;

import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;

/**
 * The SQL of the {@code releases} table. A release's content changes only while no pin or history entry
 * used it ({@link #usedIn}, {@link #replace}, {@link #delete}); who vouched for it may always widen
 * ({@link #saveRegistrants}). Registrant environments are NULL for "every".
 */
final class ReleaseTable {
    private final Handle h;

    ReleaseTable(Handle h) {
        this.h = h;
    }

    List<Release> all() {
        return h.createQuery("SELECT * FROM releases ORDER BY created_at, id").map(Rows.RELEASE).list();
    }

    Optional<Release> find(String id) {
        return h.createQuery("SELECT * FROM releases WHERE id = :id").bind("id", id).map(Rows.RELEASE).findOne();
    }

    Optional<Release> byVersion(String group, String runtimeVersion) {
        return h.createQuery("SELECT * FROM releases WHERE lockstep_group = :g AND runtime_version = :v")
                .bind("g", group).bind("v", runtimeVersion).map(Rows.RELEASE).findOne();
    }

    void save(Release r) {
        h.createUpdate("INSERT INTO releases (id, lockstep_group, runtime_version, git_sha, images, exclude,"
                        + " created_at, created_by, registered_by, registrant_environments)"
                        + " VALUES (:id, :g, :v, :sha, :images, :exclude, :at, :by, :regBy, :regEnvs)")
                .bind("id", r.id()).bind("g", r.group()).bind("v", r.runtimeVersion()).bind("sha", r.gitSha())
                .bind("images", Json.write(r.images())).bind("exclude", Json.write(r.exclude()))
                .bind("at", r.createdAt().toEpochMilli()).bind("by", r.createdBy())
                .bind("regBy", Json.write(r.registrants().tokens()))
                .bind("regEnvs", environments(r.registrants()))
                .execute();
    }

    void saveRegistrants(String releaseId, Registrants registrants) {
        h.createUpdate("UPDATE releases SET registered_by = :regBy, registrant_environments = :regEnvs WHERE id = :id")
                .bind("id", releaseId).bind("regBy", Json.write(registrants.tokens()))
                .bind("regEnvs", environments(registrants))
                .execute();
    }

    /** The environments whose pins or history name the release: where it was promoted (or excluded from). */
    List<String> usedIn(String releaseId) {
        return h.createQuery("SELECT environment FROM pins WHERE release_id = :id"
                        + " UNION SELECT environment FROM pin_history WHERE release_id = :id")
                .bind("id", releaseId).mapTo(String.class).list();
    }

    /** Replaces a never-used release's content and registrants (the caller checked {@link #usedIn}). */
    void replace(Release r) {
        h.createUpdate("UPDATE releases SET git_sha = :sha, images = :images, exclude = :exclude, created_at = :at,"
                        + " created_by = :by, registered_by = :regBy, registrant_environments = :regEnvs WHERE id = :id")
                .bind("id", r.id()).bind("sha", r.gitSha())
                .bind("images", Json.write(r.images())).bind("exclude", Json.write(r.exclude()))
                .bind("at", r.createdAt().toEpochMilli()).bind("by", r.createdBy())
                .bind("regBy", Json.write(r.registrants().tokens()))
                .bind("regEnvs", environments(r.registrants()))
                .execute();
    }

    void delete(String id) {
        h.createUpdate("DELETE FROM releases WHERE id = :id").bind("id", id).execute();
    }

    private static String environments(Registrants r) {
        return r.everyEnvironment() ? null : Json.write(r.environments());
    }
}
