-- Observed events (issue 13): the last state the server told the world about, per pin, so a transition
-- is told once. The observer compares what it computes with these rows and writes the new row and the
-- transition's event in one write transaction: under the write lock a second replica sees the row
-- already updated and writes nothing, and a restart does not tell a transition again.
-- Portable SQL (SQLite and PostgreSQL). Times are epoch milliseconds, the server's clock.
CREATE TABLE drift_states (
    environment     TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    status          TEXT    NOT NULL,           -- DriftStatus wire name
    flags           TEXT    NOT NULL,           -- comma-separated wire names, '' when none
    explanation     TEXT    NOT NULL,           -- the sentence of the finding when the state was entered
    changed_at      BIGINT  NOT NULL,
    PRIMARY KEY (environment, template, region)
);
-- Fleet convergence per (environment, template, instance region): whether the share of instances running
-- the pinned digest was at or above events.fleet_converged_at, and for which digest.
CREATE TABLE fleet_states (
    environment     TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    digest          TEXT    NOT NULL,
    converged       INTEGER NOT NULL,           -- 1 at or above the threshold, else 0
    changed_at      BIGINT  NOT NULL,
    PRIMARY KEY (environment, template, region)
);
