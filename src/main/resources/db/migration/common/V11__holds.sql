-- Holds (issue 12 item 6): pins auto-promotion leaves alone because a person set them by hand.
-- Kept in memory before, so a restart forgot them until the next discovery run and each replica
-- knew only its own. One row per held pin; the hand promote that releases it deletes the row.
-- Portable SQL (SQLite and PostgreSQL). Times are epoch milliseconds.
CREATE TABLE holds (
    environment     TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    held_since      BIGINT  NOT NULL,           -- the server's clock
    PRIMARY KEY (environment, template, region)
);
