package io.lockstep.store;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;

/** The SQL of the {@code pins} table: the current digest of every (environment, template, region). */
final class PinTable {
    private final Handle h;

    PinTable(Handle h) {
        this.h = h;
    }

    List<Pin> all() {
        return h.createQuery("SELECT * FROM pins ORDER BY environment, template, region").map(Rows.PIN).list();
    }

    Optional<Pin> find(PinKey key) {
        return h.createQuery("SELECT * FROM pins WHERE environment = :e AND template = :t AND region = :r")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                .map(Rows.PIN).findOne();
    }

    /** Column names of {@code templates} and {@code pins} do not overlap, so one row maps to both. */
    StoreTx.PinWithTemplate findWithTemplate(PinKey key) {
        return h.createQuery("SELECT t.*, p.* FROM templates t LEFT JOIN pins p ON p.environment = :e"
                        + " AND p.template = t.name AND p.region = :r WHERE t.name = :t")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                .map((rs, ctx) -> new StoreTx.PinWithTemplate(
                        rs.getString("digest") == null ? Optional.empty() : Optional.of(Rows.PIN.map(rs, ctx)),
                        Optional.of(Rows.TEMPLATE.map(rs, ctx))))
                .findOne()
                // No template of that name: a pin cannot exist without one, and the gate refuses the change.
                .orElseGet(() -> new StoreTx.PinWithTemplate(find(key), Optional.empty()));
    }

    void save(Pin p, String releaseId) {
        h.createUpdate("INSERT INTO pins (environment, template, region, digest, image_ref, git_sha, runtime_version,"
                        + " promoted_at, promoted_by, notes, provenance, release_id, version, provenance_kind)"
                        + " VALUES (:e, :t, :r, :digest, :ref, :sha, :rv, :at, :by, :notes, :prov, :rel, :version, :kind)"
                        + " ON CONFLICT (environment, template, region) DO UPDATE SET digest = excluded.digest,"
                        + " image_ref = excluded.image_ref, git_sha = excluded.git_sha,"
                        + " runtime_version = excluded.runtime_version, promoted_at = excluded.promoted_at,"
                        + " promoted_by = excluded.promoted_by, notes = excluded.notes,"
                        + " provenance = excluded.provenance, release_id = excluded.release_id,"
                        + " version = excluded.version, provenance_kind = excluded.provenance_kind")
                .bind("e", p.key().environment()).bind("t", p.key().template()).bind("r", p.key().region())
                .bind("digest", p.digest()).bind("ref", p.imageRef()).bind("sha", p.gitSha())
                .bind("rv", p.runtimeVersion()).bind("at", p.promotedAt().toEpochMilli())
                .bind("by", p.promotedBy()).bind("notes", p.notes()).bind("prov", Json.write(p.provenance()))
                .bind("rel", releaseId).bind("version", p.version())
                .bind("kind", p.provenanceKind() == null ? null : p.provenanceKind().wire())
                .execute();
    }
}
