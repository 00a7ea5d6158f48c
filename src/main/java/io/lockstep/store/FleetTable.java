package io.lockstep.store;

import io.lockstep.domain.InstanceReport;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** The SQL of the {@code fleet_instances} table (see {@link FleetStore}). */
interface FleetTable extends SqlObject {
    /** Rows per INSERT: 7 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535 bind limits. */
    int ROWS_PER_STATEMENT = 1_000;

    /**
     * One multi-row upsert per chunk. Built by hand because the number of rows varies, and bound
     * by position because ingest runs 20,000+ rows a second.
     */
    default void upsert(List<InstanceReport> reports, long receivedAt) {
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
        Update u = getHandle().createUpdate(sql.toString());
        int p = 0;
        for (InstanceReport r : chunk) {
            u.bind(p++, r.instanceId()).bind(p++, r.environment()).bind(p++, r.template()).bind(p++, r.region())
                    .bind(p++, r.digest()).bind(p++, r.observedAt().toEpochMilli()).bind(p++, receivedAt);
        }
        u.execute();
    }

    @SqlQuery("SELECT template, region, digest, COUNT(*) AS instances FROM fleet_instances"
            + " WHERE environment = :environment AND observed_at >= :cutoff GROUP BY template, region, digest")
    @RegisterConstructorMapper(FleetStore.DigestCount.class)
    List<FleetStore.DigestCount> counts(String environment, long cutoff);

    @SqlQuery("SELECT template, region, digest, COUNT(*) AS instances FROM fleet_instances"
            + " WHERE environment = :environment AND template = :template"
            + " AND observed_at >= :cutoff GROUP BY template, region, digest")
    @RegisterConstructorMapper(FleetStore.DigestCount.class)
    List<FleetStore.DigestCount> counts(String environment, String template, long cutoff);

    @SqlQuery("SELECT instance_id FROM fleet_instances"
            + " WHERE environment = :environment AND template = :template AND region = :region AND digest = :digest"
            + " AND observed_at >= :cutoff ORDER BY observed_at LIMIT :limit")
    List<String> sample(String environment, String template, String region, String digest, long cutoff, int limit);

    @SqlUpdate("DELETE FROM fleet_instances WHERE observed_at < :before")
    int purge(long before);

    @SqlQuery("SELECT COUNT(*) FROM fleet_instances")
    long size();
}
