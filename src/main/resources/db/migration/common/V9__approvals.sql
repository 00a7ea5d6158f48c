-- Approvals (issue 12): an identity's consent to one change in one environment, of a release
-- (release_id) or of one pin's digest (template, digest, region; release_id NULL). It counts while
-- unexpired, not revoked and not used; the promote it allows sets used_at in its own transaction, so
-- an approval allows one change. Rows are kept (revoked, used, expired) as the record of who approved.
-- approver_scopes: the scope words the approver's token granted when it approved, comma-separated.
-- approval_requests: a promote refused with APPROVAL_REQUIRED, so approvers see what waits; pending
-- until a promote of the same thing goes through (fulfilled_at).
-- Portable SQL (SQLite and PostgreSQL). Times are epoch milliseconds.
CREATE TABLE approvals (
    id              TEXT    NOT NULL PRIMARY KEY,
    environment     TEXT    NOT NULL,
    release_id      TEXT,
    template        TEXT,
    digest          TEXT,
    region          TEXT,
    approver        TEXT    NOT NULL,
    approver_scopes TEXT    NOT NULL,
    notes           TEXT,
    approved_at     BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    revoked_at      BIGINT,
    revoked_by      TEXT,
    used_at         BIGINT
);
CREATE INDEX approvals_by_environment ON approvals (environment, expires_at);

CREATE TABLE approval_requests (
    id              TEXT    NOT NULL PRIMARY KEY,
    environment     TEXT    NOT NULL,
    release_id      TEXT,
    template        TEXT,
    digest          TEXT,
    region          TEXT,
    requested_by    TEXT    NOT NULL,
    requested_at    BIGINT  NOT NULL,
    fulfilled_at    BIGINT
);
CREATE INDEX approval_requests_by_environment ON approval_requests (environment, fulfilled_at);
