-- Stop the line (issue 12): a person's ad-hoc freeze of an environment, or of one template group in it
-- (lockstep_group NULL: the whole environment), with a reason and an optional end (until_at NULL: until
-- lifted). Lifting sets lifted_at/lifted_by/lift_reason; rows are never deleted, so the table is the
-- record of every stop. Times as epoch milliseconds, as everywhere.
CREATE TABLE line_stops (
    id              TEXT    NOT NULL PRIMARY KEY,
    environment     TEXT    NOT NULL,
    lockstep_group  TEXT,
    reason          TEXT    NOT NULL,
    stopped_by      TEXT    NOT NULL,
    stopped_at      BIGINT  NOT NULL,
    until_at        BIGINT,
    lifted_at       BIGINT,
    lifted_by       TEXT,
    lift_reason     TEXT
);
CREATE INDEX line_stops_by_environment ON line_stops (environment, lifted_at);

-- Break-glass: the reason an admin gave to override the policy gates for one change, and which
-- refusals it overrode (comma-separated codes). NULL on entries without an override, whose hashes
-- do not cover the columns (HistoryChain), so every older entry verifies unchanged.
ALTER TABLE pin_history ADD COLUMN override_reason TEXT;
ALTER TABLE pin_history ADD COLUMN overrode TEXT;
