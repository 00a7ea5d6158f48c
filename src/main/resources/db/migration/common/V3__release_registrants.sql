-- Who registered a release and for which environments they vouched for its digests (issue 9).
-- registered_by: JSON array of token names; NULL on rows from before this migration, read as
-- [created_by]. registrant_environments: JSON array of environment names; NULL means every
-- environment, which keeps releases registered before this migration promotable where they were.
-- Plain ADD COLUMN of a nullable TEXT: the same statement on SQLite and PostgreSQL.
ALTER TABLE releases ADD COLUMN registered_by TEXT;
ALTER TABLE releases ADD COLUMN registrant_environments TEXT;
