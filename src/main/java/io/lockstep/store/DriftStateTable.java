package io.lockstep.store;

import io.lockstep.domain.PinKey;
import io.lockstep.domain.drift.DriftState;
import io.lockstep.domain.drift.DriftStatus;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SQL of the {@code drift_states} table: each pin's drift as last told (observed events, issue 13). */
final class DriftStateTable {
    private final Handle h;

    DriftStateTable(Handle h) {
        this.h = h;
    }

    Map<PinKey, DriftState> all() {
        return read(h.createQuery("SELECT * FROM drift_states ORDER BY environment, template, region"));
    }

    /** The states of the pins in {@code scope}: looked up by the primary key, not by reading every state. */
    Map<PinKey, DriftState> within(io.lockstep.domain.drift.DriftScope scope) {
        if (scope.environments().isEmpty() || scope.templates().isEmpty()) {
            return new LinkedHashMap<>();
        }
        var q = h.createQuery("SELECT * FROM drift_states WHERE environment IN (<e>) AND template IN (<t>)"
                        + (scope.everyRegion() ? "" : " AND region IN (<r>)") + " ORDER BY environment, template, region")
                .bindList("e", List.copyOf(scope.environments())).bindList("t", List.copyOf(scope.templates()));
        return read(scope.everyRegion() ? q : q.bindList("r", List.copyOf(scope.regions())));
    }

    private static Map<PinKey, DriftState> read(org.jdbi.v3.core.statement.Query query) {
        Map<PinKey, DriftState> out = new LinkedHashMap<>();
        query.map((rs, ctx) -> {
                    PinKey key = new PinKey(rs.getString("environment"), rs.getString("template"), rs.getString("region"));
                    return new DriftState(key, DriftStatus.fromWire(rs.getString("status")),
                            DriftStatus.parseList(rs.getString("flags")), rs.getString("explanation"),
                            Instant.ofEpochMilli(rs.getLong("changed_at")));
                })
                .forEach(s -> out.put(s.key(), s));
        return out;
    }

    void put(DriftState s) {
        h.createUpdate("INSERT INTO drift_states (environment, template, region, status, flags, explanation, changed_at)"
                        + " VALUES (:e, :t, :r, :status, :flags, :explanation, :at)"
                        + " ON CONFLICT (environment, template, region) DO UPDATE SET status = excluded.status,"
                        + " flags = excluded.flags, explanation = excluded.explanation, changed_at = excluded.changed_at")
                .bind("e", s.key().environment()).bind("t", s.key().template()).bind("r", s.key().region())
                .bind("status", s.status().wire())
                .bind("flags", String.join(",", s.flags().stream().map(DriftStatus::wire).toList()))
                .bind("explanation", s.explanation()).bind("at", s.changedAt().toEpochMilli()).execute();
    }

    void delete(PinKey key) {
        h.createUpdate("DELETE FROM drift_states WHERE environment = :e AND template = :t AND region = :r")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region()).execute();
    }
}
