package io.lockstep.store;

import io.lockstep.domain.webhook.Delivery;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.SubscriptionState;
import io.lockstep.domain.webhook.WebhookFormat;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code webhook_subscriptions} and {@code webhook_deliveries} (V15). */
final class SubscriptionTable {
    private static final RowMapper<SubscriptionState> ROW = (rs, ctx) -> new SubscriptionState(
            new Subscription(rs.getString("name"), rs.getString("url"), Json.list(rs.getString("types")),
                    Json.list(rs.getString("environments")), Json.list(rs.getString("groups_filter")),
                    WebhookFormat.fromWire(rs.getString("format")).orElse(WebhookFormat.LOCKSTEP),
                    rs.getString("secret"), rs.getString("source")),
            Instant.ofEpochMilli(rs.getLong("created_at")), rs.getLong("cursor_id"),
            rs.getInt("consecutive_failures"), rs.getInt("failing") != 0, rs.getString("last_error"),
            instant(rs.getObject("last_attempt_at")), instant(rs.getObject("last_success_at")));
    private static final RowMapper<Delivery> DELIVERY = (rs, ctx) -> new Delivery(rs.getString("subscription"),
            rs.getLong("event_id"), rs.getInt("redeliver") != 0 ? Delivery.QUEUED : rs.getString("status"),
            rs.getInt("http_status"), rs.getLong("latency_ms"), rs.getInt("attempts"), rs.getString("last_error"),
            Instant.ofEpochMilli(rs.getLong("at")));
    private final Handle h;

    SubscriptionTable(Handle h) {
        this.h = h;
    }

    Handle handle() {
        return h;
    }

    private static Instant instant(Object epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(((Number) epochMillis).longValue());
    }

    List<SubscriptionState> all() {
        return h.createQuery("SELECT * FROM webhook_subscriptions ORDER BY name").map(ROW).list();
    }

    Optional<SubscriptionState> find(String name) {
        return h.createQuery("SELECT * FROM webhook_subscriptions WHERE name = :n").bind("n", name).map(ROW).findOne();
    }

    boolean insert(Subscription s, long cursor, Instant now) {
        return h.createUpdate("INSERT INTO webhook_subscriptions (name, url, types, environments, groups_filter,"
                        + " format, secret, source, created_at, cursor_id) VALUES (:n, :url, :types, :envs, :groups,"
                        + " :format, :secret, :source, :at, :cursor) ON CONFLICT (name) DO NOTHING")
                .bind("n", s.name()).bind("url", s.url()).bind("types", Json.write(s.types()))
                .bind("envs", Json.write(s.environments())).bind("groups", Json.write(s.groups()))
                .bind("format", s.format().wire()).bind("secret", s.secret()).bind("source", s.source())
                .bind("at", now.toEpochMilli()).bind("cursor", cursor).execute() == 1;
    }

    void redefine(Subscription s) {
        h.createUpdate("UPDATE webhook_subscriptions SET url = :url, types = :types, environments = :envs,"
                        + " groups_filter = :groups, format = :format, secret = :secret, source = :source WHERE name = :n")
                .bind("n", s.name()).bind("url", s.url()).bind("types", Json.write(s.types()))
                .bind("envs", Json.write(s.environments())).bind("groups", Json.write(s.groups()))
                .bind("format", s.format().wire()).bind("secret", s.secret()).bind("source", s.source()).execute();
    }

    boolean delete(String name) {
        h.createUpdate("DELETE FROM webhook_deliveries WHERE subscription = :n").bind("n", name).execute();
        return h.createUpdate("DELETE FROM webhook_subscriptions WHERE name = :n").bind("n", name).execute() == 1;
    }

    boolean claim(String name, String owner, long now, long until) {
        // One conditional UPDATE: whichever replica's statement runs first on the row wins, the other sees
        // the new owner (PostgreSQL re-checks the WHERE after the row lock) and updates nothing.
        return h.createUpdate("UPDATE webhook_subscriptions SET lease_owner = :o, lease_until = :until"
                        + " WHERE name = :n AND (lease_owner IS NULL OR lease_owner = :o OR lease_until < :now)")
                .bind("n", name).bind("o", owner).bind("now", now).bind("until", until).execute() == 1;
    }

    void release(String name, String owner) {
        h.createUpdate("UPDATE webhook_subscriptions SET lease_owner = NULL, lease_until = 0"
                + " WHERE name = :n AND lease_owner = :o").bind("n", name).bind("o", owner).execute();
    }

    boolean delivered(String owner, List<Delivery> run) {
        Delivery d = run.get(run.size() - 1);
        int moved = h.createUpdate("UPDATE webhook_subscriptions SET cursor_id = CASE WHEN :id > cursor_id THEN :id"
                        + " ELSE cursor_id END, consecutive_failures = 0, failing = 0, last_error = NULL,"
                        + " last_attempt_at = :at, last_success_at = :at WHERE name = :n AND lease_owner = :o")
                .bind("n", d.subscription()).bind("o", owner).bind("id", d.eventId())
                .bind("at", d.at().toEpochMilli()).execute();
        if (moved == 1) { // one batch: a run is up to 50 rows, written while promotes wait for the write lock
            PreparedBatch batch = h.prepareBatch(LOG);
            run.forEach(r -> bindLog(batch, r).add());
            batch.execute();
        }
        return moved == 1;
    }

    boolean skipTo(String name, String owner, long eventId) {
        return h.createUpdate("UPDATE webhook_subscriptions SET cursor_id = :id WHERE name = :n AND lease_owner = :o"
                        + " AND cursor_id < :id")
                .bind("n", name).bind("o", owner).bind("id", eventId).execute() == 1
                || h.createQuery("SELECT COUNT(*) FROM webhook_subscriptions WHERE name = :n AND lease_owner = :o")
                .bind("n", name).bind("o", owner).mapTo(Integer.class).one() == 1;
    }

    boolean failed(String owner, Delivery d, int failingAfter) {
        int n = h.createUpdate("UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1,"
                        + " failing = CASE WHEN consecutive_failures + 1 >= :after THEN 1 ELSE 0 END,"
                        + " last_error = :err, last_attempt_at = :at WHERE name = :n AND lease_owner = :o")
                .bind("n", d.subscription()).bind("o", owner).bind("after", failingAfter)
                .bind("err", d.lastError()).bind("at", d.at().toEpochMilli()).execute();
        if (n == 1) {
            log(d);
        }
        return n == 1;
    }

    private static final String LOG = "INSERT INTO webhook_deliveries (subscription, event_id, status, http_status,"
            + " latency_ms, attempts, last_error, at, redeliver) VALUES (:n, :id, :status, :http, :ms, 1, :err, :at, 0)"
            + " ON CONFLICT (subscription, event_id) DO UPDATE SET status = :status, http_status = :http,"
            + " latency_ms = :ms, attempts = webhook_deliveries.attempts + 1, last_error = :err, at = :at,"
            + " redeliver = 0";

    private void log(Delivery d) {
        bindLog(h.createUpdate(LOG), d).execute();
    }

    private static <S extends SqlStatement<S>> S bindLog(S statement, Delivery d) {
        return statement.bind("n", d.subscription()).bind("id", d.eventId()).bind("status", d.status())
                .bind("http", d.httpStatus()).bind("ms", d.latencyMs()).bind("err", d.lastError())
                .bind("at", d.at().toEpochMilli());
    }

    List<Delivery> deliveries(String name, int limit) {
        return h.createQuery("SELECT * FROM webhook_deliveries WHERE subscription = :n ORDER BY event_id DESC"
                + " LIMIT :limit").bind("n", name).bind("limit", limit).map(DELIVERY).list();
    }

    void requestRedelivery(String name, long eventId, Instant now) {
        h.createUpdate("INSERT INTO webhook_deliveries (subscription, event_id, status, http_status, latency_ms,"
                        + " attempts, last_error, at, redeliver) VALUES (:n, :id, :status, 0, 0, 0, NULL, :at, 1)"
                        + " ON CONFLICT (subscription, event_id) DO UPDATE SET redeliver = 1")
                .bind("n", name).bind("id", eventId).bind("status", Delivery.QUEUED).bind("at", now.toEpochMilli())
                .execute();
    }

    List<Long> redeliveries(String name) {
        return h.createQuery("SELECT event_id FROM webhook_deliveries WHERE subscription = :n AND redeliver = 1"
                + " ORDER BY event_id LIMIT 100").bind("n", name).mapTo(Long.class).list();
    }

    Optional<Long> minCursor() {
        return h.createQuery("SELECT MIN(cursor_id) FROM webhook_subscriptions").mapTo(Long.class).findOne();
    }

    int purgeDeliveries(long eventId) {
        return h.createUpdate("DELETE FROM webhook_deliveries WHERE event_id < :id AND redeliver = 0")
                .bind("id", eventId).execute();
    }
}
