package io.lockstep.store;

import io.lockstep.domain.FreezeState;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL of the {@code freeze_states} table: each policy freeze window as last told (observed events, issue 13). */
final class FreezeStateTable {
    private final Handle h;

    FreezeStateTable(Handle h) {
        this.h = h;
    }

    Map<FreezeState.Key, FreezeState> all() {
        Map<FreezeState.Key, FreezeState> out = new LinkedHashMap<>();
        h.createQuery("SELECT * FROM freeze_states ORDER BY environment, window_name")
                .map((rs, ctx) -> new FreezeState(rs.getString("environment"), rs.getString("window_name"),
                        rs.getInt("active") == 1, instant(rs.getObject("since")), instant(rs.getObject("until")),
                        Instant.ofEpochMilli(rs.getLong("changed_at"))))
                .forEach(s -> out.put(s.key(), s));
        return out;
    }

    void put(FreezeState s) {
        h.createUpdate("INSERT INTO freeze_states (environment, window_name, active, since, until, changed_at)"
                        + " VALUES (:e, :w, :active, :since, :until, :at)"
                        + " ON CONFLICT (environment, window_name) DO UPDATE SET active = excluded.active,"
                        + " since = excluded.since, until = excluded.until, changed_at = excluded.changed_at")
                .bind("e", s.environment()).bind("w", s.window()).bind("active", s.active() ? 1 : 0)
                .bind("since", s.since() == null ? null : s.since().toEpochMilli())
                .bind("until", s.until() == null ? null : s.until().toEpochMilli())
                .bind("at", s.changedAt().toEpochMilli()).execute();
    }

    private static Instant instant(Object millis) {
        return millis == null ? null : Instant.ofEpochMilli(((Number) millis).longValue());
    }
}
