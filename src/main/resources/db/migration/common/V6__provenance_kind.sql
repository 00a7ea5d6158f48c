-- How far the provenance of each change can be trusted (issue 11): 'verified' (claims of an OIDC ID
-- token the server checked), 'declared' (what the caller wrote) or 'none'. NULL on rows from before
-- this migration: they read as declared when they carry provenance, none when not. The history hash
-- of every later entry covers the column (HistoryChain), so it cannot be flipped in the database;
-- older entries' hashes do not include it and verify unchanged.
-- Plain ADD COLUMN of a nullable TEXT: the same statement on SQLite and PostgreSQL.
ALTER TABLE pin_history ADD COLUMN provenance_kind TEXT;
ALTER TABLE pins ADD COLUMN provenance_kind TEXT;
