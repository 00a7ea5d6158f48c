-- Expected instance counts from the fleet's own history (issue 11 item 5): the most live instances
-- seen at once per (environment, template, region), and when it was last seen that high. Without
-- it, a fleet whose instances all stopped reporting looks exactly like one with nothing to converge.
-- A peak is raised whenever at least as many instances are live, and replaced by the live count once
-- it is older than fleet.instance_memory; rows older than that are purged with the instances.
-- Portable SQL (SQLite and PostgreSQL). Times are epoch milliseconds.
CREATE TABLE fleet_peaks (
    environment     TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    instances       BIGINT  NOT NULL,
    seen_at         BIGINT  NOT NULL,           -- the server's clock
    PRIMARY KEY (environment, template, region)
);
