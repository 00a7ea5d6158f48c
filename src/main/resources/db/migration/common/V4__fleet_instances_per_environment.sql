-- An instance id names an instance within its environment, not globally: with instance_id alone as
-- the key, a token limited to staging could report a prod instance's id under staging and so move
-- that instance out of prod's convergence. The key becomes (environment, instance_id).
-- Neither store can change a primary key in place portably (SQLite cannot at all), so the table is
-- rebuilt; existing rows keep their values (their ids were unique, so they are unique per environment).
CREATE TABLE fleet_instances_per_environment (
    environment     TEXT    NOT NULL,
    instance_id     TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    digest          TEXT    NOT NULL,
    observed_at     BIGINT  NOT NULL,           -- the instance's clock, bounded by the skew allowance
    received_at     BIGINT  NOT NULL,           -- the server's clock
    PRIMARY KEY (environment, instance_id)
);

INSERT INTO fleet_instances_per_environment (environment, instance_id, template, region, digest, observed_at, received_at)
    SELECT environment, instance_id, template, region, digest, observed_at, received_at FROM fleet_instances;

DROP TABLE fleet_instances;   -- drops fleet_instances_by_pin with it
ALTER TABLE fleet_instances_per_environment RENAME TO fleet_instances;

-- As in V2: serves the convergence counts as an index-only scan and the stale samples as a range scan.
CREATE INDEX fleet_instances_by_pin ON fleet_instances (environment, template, region, digest, observed_at);
