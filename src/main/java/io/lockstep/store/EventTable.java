package io.lockstep.store;

import io.lockstep.domain.Event;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;

/** The SQL of the {@code events} table, the outbox every event is written to with the change that caused it. */
final class EventTable {
    private static final RowMapper<Event> ROW = (rs, ctx) -> new Event(rs.getLong("id"), rs.getString("type"),
            Instant.ofEpochMilli(rs.getLong("at")), rs.getString("environment"), rs.getString("template"),
            rs.getString("region"), rs.getString("lockstep_group"), rs.getString("actor"),
            Json.object(rs.getString("data")));
    private final Handle h;

    EventTable(Handle h) {
        this.h = h;
    }

    /**
     * Stores {@code event} with the next id (the caller holds the write lock) and returns it exactly as a read
     * returns it: with that id, its time cut to the millisecond and its data as read back from the stored JSON, so
     * an event handed on from the transaction is the same as one read from the outbox (same body, same signature).
     */
    Event append(Event event) {
        String data = Json.write(event.data());
        long at = event.at().toEpochMilli();
        // One round-trip under the write lock, which every other writer waits for.
        long id = h.createQuery("INSERT INTO events (id, type, at, environment, template, region, lockstep_group,"
                        + " actor, data) SELECT COALESCE(MAX(id), 0) + 1, :type, :at, :e, :t, :r, :g, :actor, :data"
                        + " FROM events RETURNING id")
                .bind("type", event.type()).bind("at", at)
                .bind("e", event.environment()).bind("t", event.template()).bind("r", event.region())
                .bind("g", event.group()).bind("actor", event.actor()).bind("data", data)
                .mapTo(Long.class).one();
        return new Event(id, event.type(), Instant.ofEpochMilli(at), event.environment(), event.template(),
                event.region(), event.group(), event.actor(), Json.object(data));
    }

    /** Events with an id above {@code after}, oldest first, at most {@code limit}. */
    List<Event> after(long after, int limit) {
        return h.createQuery("SELECT * FROM events WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", after).bind("limit", limit).map(ROW).list();
    }

    /** The newest event's id; 0 when there is none. */
    long lastId() {
        return h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one();
    }

    /** The oldest event's id still kept; 0 when there is none (a resume from before it lost events). */
    long firstId() {
        return h.createQuery("SELECT COALESCE(MIN(id), 0) FROM events").mapTo(Long.class).one();
    }

    /**
     * Deletes events older than {@code before} whose id is at most {@code upTo}; returns how many. The newest
     * event always stays: ids continue from it, and a reader resuming after it must not see ids start over.
     */
    int deleteBefore(Instant before, long upTo) {
        return h.createUpdate("DELETE FROM events WHERE at < :before AND id <= :upTo"
                        + " AND id < (SELECT MAX(id) FROM events)")
                .bind("before", before.toEpochMilli()).bind("upTo", upTo).execute();
    }
}
