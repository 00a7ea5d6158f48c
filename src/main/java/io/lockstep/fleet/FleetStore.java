package io.lockstep.fleet;

import io.lockstep.domain.InstanceReport;
import io.lockstep.store.Dialect;
import io.lockstep.store.JdbiStore;
import io.lockstep.store.StoreUnavailableException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

import java.time.Instant;
import java.util.List;

/**
 * The {@code fleet_instances} table, one row per (environment, instance id). Writes do not take the store-wide pin write lock: a report
 * batch touches no pin and must not queue behind promotes (nor fire pin-change notifications).
 * A batch commits in one transaction, so a failed batch stores nothing.
 */
public final class FleetStore {
    /** Rows per INSERT: 7 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535 bind limits. */
    private static final int ROWS_PER_STATEMENT = 1_000;

    private final Jdbi jdbi;
    private final boolean postgres;

    public FleetStore(JdbiStore store) {
        this.jdbi = store.jdbi();
        this.postgres = store.dialect() == Dialect.POSTGRES;
    }

    /** A count of live instances of one (template, region) running one digest. */
    public record DigestCount(String template, String region, String digest, long instances) {
    }

    /**
     * Upserts the latest report per instance. {@code reports} must hold each (environment, instance id)
     * once, sorted by that key: concurrent batches then lock rows in the same order and cannot deadlock.
     * A report older than the stored one for its instance is ignored (late delivery never rewinds).
     */
    public void upsert(List<InstanceReport> reports, Instant receivedAt) {
        if (reports.isEmpty()) {
            return;
        }
        guard(() -> jdbi.useTransaction(h -> {
            if (postgres) {
                // Reports are re-sent every heartbeat: a crash losing the last few milliseconds of them
                // costs nothing, while waiting for the WAL flush on every batch halves ingest.
                h.execute("SET LOCAL synchronous_commit TO OFF");
            }
            for (int from = 0; from < reports.size(); from += ROWS_PER_STATEMENT) {
                insertChunk(h, reports.subList(from, Math.min(reports.size(), from + ROWS_PER_STATEMENT)), receivedAt);
            }
        }));
    }

    private static void insertChunk(Handle h, List<InstanceReport> chunk, Instant receivedAt) {
        StringBuilder sql = new StringBuilder(96 + chunk.size() * 24)
                .append("INSERT INTO fleet_instances (instance_id, environment, template, region, digest, observed_at,"
                        + " received_at) VALUES ");
        for (int i = 0; i < chunk.size(); i++) {
            sql.append(i == 0 ? "(?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?)");
        }
        sql.append(" ON CONFLICT (environment, instance_id) DO UPDATE SET template = excluded.template, region = excluded.region, digest = excluded.digest,"
                + " observed_at = excluded.observed_at, received_at = excluded.received_at"
                + " WHERE excluded.observed_at >= fleet_instances.observed_at");
        Update u = h.createUpdate(sql.toString());
        int p = 0;
        long received = receivedAt.toEpochMilli();
        for (InstanceReport r : chunk) {
            u.bind(p++, r.instanceId()).bind(p++, r.environment()).bind(p++, r.template()).bind(p++, r.region())
                    .bind(p++, r.digest()).bind(p++, r.observedAt().toEpochMilli()).bind(p++, received);
        }
        u.execute();
    }

    /** Live instances (observed at or after {@code cutoff}) per template, region and digest. */
    public List<DigestCount> counts(String environment, String template, Instant cutoff) {
        String sql = "SELECT template, region, digest, COUNT(*) AS n FROM fleet_instances"
                + " WHERE environment = :e" + (template == null ? "" : " AND template = :t")
                + " AND observed_at >= :cutoff GROUP BY template, region, digest";
        return guardGet(() -> jdbi.withHandle(h -> {
            var q = h.createQuery(sql).bind("e", environment).bind("cutoff", cutoff.toEpochMilli());
            if (template != null) {
                q.bind("t", template);
            }
            return q.map((rs, ctx) -> new DigestCount(rs.getString("template"), rs.getString("region"),
                    rs.getString("digest"), rs.getLong("n"))).list();
        }));
    }

    /** Up to {@code limit} live instance ids running {@code digest}, longest-silent first. */
    public List<String> sample(String environment, String template, String region, String digest, Instant cutoff, int limit) {
        return guardGet(() -> jdbi.withHandle(h -> h.createQuery("SELECT instance_id FROM fleet_instances"
                        + " WHERE environment = :e AND template = :t AND region = :r AND digest = :d"
                        + " AND observed_at >= :cutoff ORDER BY observed_at LIMIT :limit")
                .bind("e", environment).bind("t", template).bind("r", region).bind("d", digest)
                .bind("cutoff", cutoff.toEpochMilli()).bind("limit", limit)
                .mapTo(String.class).list()));
    }

    /** Deletes instances silent since before {@code before}; returns how many. */
    public int purge(Instant before) {
        return guardGet(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM fleet_instances WHERE observed_at < :b")
                .bind("b", before.toEpochMilli()).execute()));
    }

    /** How many instances are stored, live or not (tests prove a rejected batch stored nothing). */
    public long size() {
        return guardGet(() -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM fleet_instances")
                .mapTo(Long.class).one()));
    }

    private static void guard(Runnable work) {
        guardGet(() -> {
            work.run();
            return null;
        });
    }

    private static <T> T guardGet(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (org.jdbi.v3.core.ConnectionException e) {
            throw new StoreUnavailableException("the fleet store is unavailable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A full disk, read-only files or a dropped connection are the same 503s as for pins.
            throw io.lockstep.store.JdbiStore.translated(e);
        }
    }
}
