-- Promotion policy changes made through the admin API (issue 12 item 1): an environment's policy
-- can change without a restart, and every change is kept with who made it and why. The newest row
-- of an environment is its policy; a row whose document is NULL returns it to the configuration
-- file's. Rows are never updated or deleted. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE policy_changes (
    seq             BIGINT  NOT NULL PRIMARY KEY,   -- assigned under the store's write lock
    environment     TEXT    NOT NULL,
    document        TEXT,                           -- the policy as JSON, as given; NULL: back to the file's
    changed_by      TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    changed_at      BIGINT  NOT NULL                -- epoch milliseconds, the server's clock
);
CREATE INDEX policy_changes_by_environment ON policy_changes (environment, seq);
