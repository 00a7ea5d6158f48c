-- Webhook subscriptions (issue 13). One row per subscription, from the configuration file (source
-- 'config', re-synced at start) or the admin API ('api'). cursor is the id of the last event this
-- subscription is done with (delivered with a 2xx, or not wanted): it only moves forward, after the
-- receiver's 2xx, so a crash re-delivers rather than loses. lease_owner/lease_until: the replica that
-- delivers for this subscription now (claimed with a conditional UPDATE, renewed while it works; a dead
-- replica's lease expires and another claims it). Written outside the pin write lock: bookkeeping only.
CREATE TABLE webhook_subscriptions (
    name                 TEXT    NOT NULL PRIMARY KEY,
    url                  TEXT    NOT NULL,
    types                TEXT    NOT NULL,           -- JSON list of event types
    environments         TEXT    NOT NULL,           -- JSON list, empty: any
    groups_filter        TEXT    NOT NULL,           -- JSON list, empty: any
    format               TEXT    NOT NULL,
    secret               TEXT    NOT NULL,
    source               TEXT    NOT NULL,
    created_at           BIGINT  NOT NULL,
    cursor_id            BIGINT  NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing              INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT,
    last_attempt_at      BIGINT,
    last_success_at      BIGINT,
    lease_owner          TEXT,
    lease_until          BIGINT  NOT NULL DEFAULT 0
);

-- The delivery log: one row per (subscription, event) tried, updated on each attempt. last_error is a
-- short excerpt (status line or exception, capped), never a stored response body. redeliver = 1 queues
-- the event for one more delivery.
CREATE TABLE webhook_deliveries (
    subscription  TEXT    NOT NULL,
    event_id      BIGINT  NOT NULL,
    status        TEXT    NOT NULL,                 -- delivered | failing | queued
    http_status   INTEGER,
    latency_ms    BIGINT,
    attempts      INTEGER NOT NULL,
    last_error    TEXT,
    at            BIGINT  NOT NULL,
    redeliver     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (subscription, event_id)
);
CREATE INDEX webhook_deliveries_redeliver ON webhook_deliveries (subscription, redeliver);
