-- The event outbox (issue 13): one row per fact, written in the transaction that makes it true. id is
-- assigned under the store's write lock (MAX + 1), so ids grow in commit order and "after id N" never
-- misses an event. data is the event's details as JSON. Rows are deleted only by retention.
CREATE TABLE events (
    id              BIGINT  NOT NULL PRIMARY KEY,
    type            TEXT    NOT NULL,
    at              BIGINT  NOT NULL,                -- epoch milliseconds, the server's clock
    environment     TEXT,
    template        TEXT,
    region          TEXT,
    lockstep_group  TEXT,
    actor           TEXT,
    data            TEXT    NOT NULL
);
CREATE INDEX events_by_time ON events (at);
