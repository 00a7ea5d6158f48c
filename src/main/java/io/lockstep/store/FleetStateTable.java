package io.lockstep.store;

import io.lockstep.domain.FleetState;
import io.lockstep.domain.PinKey;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL of the {@code fleet_states} table: each fleet's convergence as last told (observed events, issue 13). */
final class FleetStateTable {
    private final Handle h;

    FleetStateTable(Handle h) {
        this.h = h;
    }

    Map<PinKey, FleetState> all() {
        Map<PinKey, FleetState> out = new LinkedHashMap<>();
        h.createQuery("SELECT * FROM fleet_states ORDER BY environment, template, region")
                .map((rs, ctx) -> new FleetState(new PinKey(rs.getString("environment"), rs.getString("template"),
                        rs.getString("region")), rs.getString("digest"), rs.getInt("converged") == 1,
                        Instant.ofEpochMilli(rs.getLong("changed_at"))))
                .forEach(s -> out.put(s.key(), s));
        return out;
    }

    void put(FleetState s) {
        h.createUpdate("INSERT INTO fleet_states (environment, template, region, digest, converged, changed_at)"
                        + " VALUES (:e, :t, :r, :digest, :converged, :at)"
                        + " ON CONFLICT (environment, template, region) DO UPDATE SET digest = excluded.digest,"
                        + " converged = excluded.converged, changed_at = excluded.changed_at")
                .bind("e", s.key().environment()).bind("t", s.key().template()).bind("r", s.key().region())
                .bind("digest", s.digest()).bind("converged", s.converged() ? 1 : 0)
                .bind("at", s.changedAt().toEpochMilli()).execute();
    }

    void delete(PinKey key) {
        h.createUpdate("DELETE FROM fleet_states WHERE environment = :e AND template = :t AND region = :r")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region()).execute();
    }
}
