-- The history head: the newest entry's seq and hash, kept apart from the rows and updated in the
-- same transaction as every append. Deleting the newest rows of pin_history leaves no broken link in
-- the chain; it does leave the head pointing past the last row, which verification reports.
-- Portable SQL (SQLite and PostgreSQL).
CREATE TABLE history_head (
    id              INTEGER NOT NULL PRIMARY KEY,   -- always 1: one head per store
    seq             BIGINT  NOT NULL,
    hash            TEXT    NOT NULL
);

-- Backfill for databases that already have history: the head is their newest row (trusted as it
-- is at upgrade time), or the genesis hash for an empty history.
INSERT INTO history_head (id, seq, hash)
SELECT 1, seq, hash FROM pin_history WHERE seq = (SELECT MAX(seq) FROM pin_history);
INSERT INTO history_head (id, seq, hash)
SELECT 1, 0, '0000000000000000000000000000000000000000000000000000000000000000'
WHERE NOT EXISTS (SELECT 1 FROM history_head);

-- One row the readiness probe rewrites after a write failed for an infrastructure reason (disk
-- full, read-only files): only a committed write shows the store can take writes again.
CREATE TABLE store_probe (
    id              INTEGER NOT NULL PRIMARY KEY,   -- always 1
    probed_at       BIGINT  NOT NULL
);
INSERT INTO store_probe (id, probed_at) VALUES (1, 0);
