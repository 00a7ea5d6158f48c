-- Observed events (issue 13): each freeze window of an environment's policy as last told, so the opening and
-- closing of each occurrence is told once (freeze.started / freeze.lifted), across restarts and replicas, as
-- drift_states and fleet_states do for their transitions. since/until: the occurrence last told (epoch ms).
-- Portable SQL (SQLite and PostgreSQL).
CREATE TABLE freeze_states (
    environment     TEXT    NOT NULL,
    window_name     TEXT    NOT NULL,
    active          INTEGER NOT NULL,           -- 1 told open, 0 told closed
    since           BIGINT,
    until           BIGINT,
    changed_at      BIGINT  NOT NULL,
    PRIMARY KEY (environment, window_name)
);
