-- What happened to a release after it was registered (issue 11): a never-promoted release can be
-- replaced (registered again with other digests) or withdrawn; both are recorded here, since the
-- releases row itself is overwritten or deleted. Append-only. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE release_events (
    release_id      TEXT    NOT NULL,
    lockstep_group  TEXT    NOT NULL,
    action          TEXT    NOT NULL,   -- 'replaced' or 'withdrawn'
    images_before   TEXT    NOT NULL,   -- JSON object template -> digest
    images_after    TEXT,               -- JSON object, NULL for a withdrawal
    actor           TEXT    NOT NULL,
    reason          TEXT,
    at              BIGINT  NOT NULL
);
CREATE INDEX release_events_by_release ON release_events (release_id, at);
