-- A promote reads only the live approvals of its own change (a release, or one pin's digest), so the read
-- stays one index lookup however many approvals wait for other changes. Portable SQL.
CREATE INDEX approvals_by_release ON approvals (environment, release_id);
CREATE INDEX approvals_by_digest ON approvals (environment, digest);
