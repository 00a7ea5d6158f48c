package io.lockstep.store;

import io.lockstep.domain.InstanceReport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

import java.util.List;

/** The SQL of the {@code fleet_instances} table (see {@link FleetStore}). */
final class FleetTable {
    /** Rows per INSERT: 7 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535 bind limits. */
    static final int ROWS_PER_STATEMENT = 1_000;

    private static final RowMapper<FleetStore.DigestCount> COUNT = (rs, ctx) -> new FleetStore.DigestCount(
            rs.getString("template"), rs.getString("region"), rs.getString("digest"), rs.getLong("instances"));

    private static final RowMapper<FleetStore.Peak> PEAK = (rs, ctx) -> new FleetStore.Peak(rs.getString("template"),
            rs.getString("region"), rs.getLong("instances"), java.time.Instant.ofEpochMilli(rs.getLong("seen_at")));

    private final Handle h;

    FleetTable(Handle h) {
        this.h = h;
    }

    /**
     * One multi-row upsert per chunk. Built by hand because the number of rows varies, and bound
     * by position because ingest runs 20,000+ rows a second.
     */
    void upsert(List<InstanceReport> reports, long receivedAt) {
        for (int from = 0; from < reports.size(); from += ROWS_PER_STATEMENT) {
            upsertChunk(reports.subList(from, Math.min(reports.size(), from + ROWS_PER_STATEMENT)), receivedAt);
        }
    }

    private void upsertChunk(List<InstanceReport> chunk, long receivedAt) {
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
        for (InstanceReport r : chunk) {
            u.bind(p++, r.instanceId()).bind(p++, r.environment()).bind(p++, r.template()).bind(p++, r.region())
                    .bind(p++, r.digest()).bind(p++, r.observedAt().toEpochMilli()).bind(p++, receivedAt);
        }
        u.execute();
    }

    List<FleetStore.DigestCount> counts(String environment, long cutoff) {
        return h.createQuery("SELECT template, region, digest, COUNT(*) AS instances FROM fleet_instances"
                        + " WHERE environment = :e AND observed_at >= :cutoff GROUP BY template, region, digest")
                .bind("e", environment).bind("cutoff", cutoff).map(COUNT).list();
    }

    List<FleetStore.DigestCount> counts(String environment, String template, long cutoff) {
        return h.createQuery("SELECT template, region, digest, COUNT(*) AS instances FROM fleet_instances"
                        + " WHERE environment = :e AND template = :t"
                        + " AND observed_at >= :cutoff GROUP BY template, region, digest")
                .bind("e", environment).bind("t", template).bind("cutoff", cutoff).map(COUNT).list();
    }

    List<String> sample(String environment, String template, String region, String digest, long cutoff, int limit) {
        return h.createQuery("SELECT instance_id FROM fleet_instances"
                        + " WHERE environment = :e AND template = :t AND region = :r AND digest = :d"
                        + " AND observed_at >= :cutoff ORDER BY observed_at LIMIT :limit")
                .bind("e", environment).bind("t", template).bind("r", region).bind("d", digest)
                .bind("cutoff", cutoff).bind("limit", limit).mapTo(String.class).list();
    }

    /**
     * Raises the remembered peak to {@code instances} when at least as many are live (and so marks it seen
     * now), and replaces a peak last seen before {@code forgetBefore} by the live count, so a fleet scaled
     * down on purpose stops being expected at its old size. Atomic per row, so replicas may race freely.
     */
    void recordPeak(String environment, String template, String region, long instances, long now, long forgetBefore) {
        h.createUpdate("INSERT INTO fleet_peaks (environment, template, region, instances, seen_at)"
                        + " VALUES (:e, :t, :r, :n, :now) ON CONFLICT (environment, template, region) DO UPDATE SET"
                        + " instances = CASE WHEN excluded.instances >= fleet_peaks.instances OR fleet_peaks.seen_at < :forget"
                        + " THEN excluded.instances ELSE fleet_peaks.instances END,"
                        + " seen_at = CASE WHEN excluded.instances >= fleet_peaks.instances OR fleet_peaks.seen_at < :forget"
                        + " THEN excluded.seen_at ELSE fleet_peaks.seen_at END")
                .bind("e", environment).bind("t", template).bind("r", region).bind("n", instances).bind("now", now)
                .bind("forget", forgetBefore).execute();
    }

    List<FleetStore.Peak> peaks(String environment, long since) {
        return h.createQuery("SELECT template, region, instances, seen_at FROM fleet_peaks"
                        + " WHERE environment = :e AND seen_at >= :since")
                .bind("e", environment).bind("since", since).map(PEAK).list();
    }

    int purgePeaks(long before) {
        return h.createUpdate("DELETE FROM fleet_peaks WHERE seen_at < :before").bind("before", before).execute();
    }

    int purge(long before) {
        return h.createUpdate("DELETE FROM fleet_instances WHERE observed_at < :before").bind("before", before).execute();
    }

    long size() {
        return h.createQuery("SELECT COUNT(*) FROM fleet_instances").mapTo(Long.class).one();
    }
}
