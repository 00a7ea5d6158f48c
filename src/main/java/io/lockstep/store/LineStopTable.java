package io.lockstep.store;

import io.lockstep.domain.LineStop;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of the {@code line_stops} table: stops of the line, kept after they are lifted as their record. */
final class LineStopTable {
    private final Handle h;

    LineStopTable(Handle h) {
        this.h = h;
    }

    /** The environment's stops not lifted yet (some may have passed their end), oldest first. */
    List<LineStop> unlifted(String environment) {
        return h.createQuery("SELECT * FROM line_stops WHERE environment = :e AND lifted_at IS NULL ORDER BY stopped_at, id")
                .bind("e", environment).map(Rows.LINE_STOP).list();
    }

    /** Every stop of the environment, lifted ones too, newest first. */
    List<LineStop> all(String environment, int limit) {
        return h.createQuery("SELECT * FROM line_stops WHERE environment = :e ORDER BY stopped_at DESC, id LIMIT :limit")
                .bind("e", environment).bind("limit", limit).map(Rows.LINE_STOP).list();
    }

    /** Every stop not lifted yet, in every environment (the metrics' gauge). */
    List<LineStop> unlifted() {
        return h.createQuery("SELECT * FROM line_stops WHERE lifted_at IS NULL").map(Rows.LINE_STOP).list();
    }

    Optional<LineStop> find(String environment, String id) {
        return h.createQuery("SELECT * FROM line_stops WHERE environment = :e AND id = :id")
                .bind("e", environment).bind("id", id).map(Rows.LINE_STOP).findOne();
    }

    void save(LineStop s) {
        h.createUpdate("INSERT INTO line_stops (id, environment, lockstep_group, reason, stopped_by, stopped_at, until_at)"
                        + " VALUES (:id, :e, :g, :reason, :by, :at, :until)")
                .bind("id", s.id()).bind("e", s.environment()).bind("g", s.group()).bind("reason", s.reason())
                .bind("by", s.stoppedBy()).bind("at", s.since().toEpochMilli())
                .bind("until", s.until() == null ? null : s.until().toEpochMilli()).execute();
    }

    /** Whether a stop not lifted yet was lifted now. */
    boolean lift(String environment, String id, Instant at, String by, String reason) {
        return h.createUpdate("UPDATE line_stops SET lifted_at = :at, lifted_by = :by, lift_reason = :reason"
                        + " WHERE environment = :e AND id = :id AND lifted_at IS NULL")
                .bind("at", at.toEpochMilli()).bind("by", by).bind("reason", reason)
                .bind("e", environment).bind("id", id).execute() > 0;
    }
}
