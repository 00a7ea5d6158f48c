-- Fleet convergence: the latest report of every running instance, one row per instance_id.
-- Portable SQL (SQLite and PostgreSQL). Times are epoch milliseconds.
CREATE TABLE fleet_instances (
    instance_id     TEXT    NOT NULL PRIMARY KEY,
    environment     TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    digest          TEXT    NOT NULL,
    observed_at     BIGINT  NOT NULL,           -- the instance's clock, bounded by the skew allowance
    received_at     BIGINT  NOT NULL            -- the server's clock
);

-- Serves the convergence query (WHERE environment [AND template] AND observed_at >= cutoff,
-- GROUP BY template, region, digest) as an index-only scan, and the stale samples
-- (… AND digest = ? ORDER BY observed_at LIMIT 5) as a short range scan.
CREATE INDEX fleet_instances_by_pin ON fleet_instances (environment, template, region, digest, observed_at);

-- Serves the retention purge (DELETE … WHERE observed_at < ?).
CREATE INDEX fleet_instances_by_time ON fleet_instances (observed_at);
