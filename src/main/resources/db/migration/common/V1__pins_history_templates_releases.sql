-- One logical schema for SQLite and PostgreSQL: only TEXT, BIGINT and INTEGER columns, times as
-- epoch milliseconds, JSON as TEXT. Keeping to the common subset is what lets one migration serve both.

CREATE TABLE templates (
    name            TEXT    NOT NULL PRIMARY KEY,
    repository      TEXT    NOT NULL,
    kinds           TEXT    NOT NULL,           -- JSON array of workload kinds
    lockstep_group  TEXT,
    pinnable        INTEGER NOT NULL,
    source          TEXT    NOT NULL,           -- 'config' or 'api'
    updated_at      BIGINT  NOT NULL
);

CREATE TABLE pins (
    environment     TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    digest          TEXT    NOT NULL,
    image_ref       TEXT    NOT NULL,
    git_sha         TEXT,
    runtime_version TEXT,
    promoted_at     BIGINT  NOT NULL,
    promoted_by     TEXT    NOT NULL,
    notes           TEXT,
    provenance      TEXT    NOT NULL,           -- JSON object
    release_id      TEXT,
    version         BIGINT  NOT NULL,
    PRIMARY KEY (environment, template, region)
);

-- Append-only: the application never updates or deletes rows; the hash chain makes tampering visible.
CREATE TABLE pin_history (
    seq             BIGINT  NOT NULL PRIMARY KEY,
    environment     TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    from_digest     TEXT,
    to_digest       TEXT,
    git_sha         TEXT,
    runtime_version TEXT,
    notes           TEXT,
    promoted_by     TEXT    NOT NULL,
    provenance      TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    at              BIGINT  NOT NULL,
    release_id      TEXT,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL
);
CREATE INDEX pin_history_by_pin ON pin_history (environment, template, region, seq);

CREATE TABLE releases (
    id              TEXT    NOT NULL PRIMARY KEY,
    lockstep_group  TEXT    NOT NULL,
    runtime_version TEXT    NOT NULL,
    git_sha         TEXT,
    images          TEXT    NOT NULL,           -- JSON object template -> digest
    exclude         TEXT    NOT NULL,           -- JSON object template -> reason
    created_at      BIGINT  NOT NULL,
    created_by      TEXT    NOT NULL
);
CREATE UNIQUE INDEX releases_by_version ON releases (lockstep_group, runtime_version);

-- A fence is a rollout lock on an environment: promotes answer 409 with the reason until it expires.
CREATE TABLE fences (
    id              TEXT    NOT NULL PRIMARY KEY,
    environment     TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL
);
