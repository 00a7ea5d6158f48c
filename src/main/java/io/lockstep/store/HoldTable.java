package io.lockstep.store;

import io.lockstep.domain.PinKey;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL of the {@code holds} table: pins auto-promotion must leave alone, with the reason. */
final class HoldTable {
    private final Handle h;

    HoldTable(Handle h) {
        this.h = h;
    }

    Map<PinKey, String> all() {
        Map<PinKey, String> out = new LinkedHashMap<>();
        h.createQuery("SELECT environment, template, region, reason FROM holds ORDER BY environment, template, region")
                .map((rs, ctx) -> Map.entry(new PinKey(rs.getString("environment"), rs.getString("template"),
                        rs.getString("region")), rs.getString("reason")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Holds {@code key} for {@code reason}; a pin already held keeps the time it was first held. */
    void put(PinKey key, String reason, Instant at) {
        h.createUpdate("INSERT INTO holds (environment, template, region, reason, held_since) VALUES (:e, :t, :r, :reason, :at)"
                        + " ON CONFLICT (environment, template, region) DO UPDATE SET reason = excluded.reason")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                .bind("reason", reason).bind("at", at.toEpochMilli()).execute();
    }

    /** Whether a hold was released. */
    boolean delete(PinKey key) {
        return h.createUpdate("DELETE FROM holds WHERE environment = :e AND template = :t AND region = :r")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region()).execute() > 0;
    }
}
