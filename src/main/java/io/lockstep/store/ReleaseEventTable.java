package io.lockstep.store;

import io.lockstep.domain.ReleaseEvent;
import org.jdbi.v3.core.Handle;

import java.util.List;

/** The SQL of the append-only {@code release_events} table (replacements and withdrawals of releases). */
final class ReleaseEventTable {
    private final Handle h;

    ReleaseEventTable(Handle h) {
        this.h = h;
    }

    void append(ReleaseEvent e) {
        h.createUpdate("INSERT INTO release_events (release_id, lockstep_group, action, images_before, images_after,"
                        + " actor, reason, at) VALUES (:id, :g, :action, :before, :after, :actor, :reason, :at)")
                .bind("id", e.releaseId()).bind("g", e.group()).bind("action", e.kind().wire())
                .bind("before", Json.write(e.imagesBefore()))
                .bind("after", e.kind() == ReleaseEvent.Kind.WITHDRAWN ? null : Json.write(e.imagesAfter()))
                .bind("actor", e.actor()).bind("reason", e.reason()).bind("at", e.at().toEpochMilli())
                .execute();
    }

    /** Oldest first; {@code group} null for every group. */
    List<ReleaseEvent> list(String group) {
        if (group == null) {
            return h.createQuery("SELECT * FROM release_events ORDER BY at, release_id").map(Rows.RELEASE_EVENT).list();
        }
        return h.createQuery("SELECT * FROM release_events WHERE lockstep_group = :g ORDER BY at, release_id")
                .bind("g", group).map(Rows.RELEASE_EVENT).list();
    }
}
