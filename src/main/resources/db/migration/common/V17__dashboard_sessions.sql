-- Dashboard sign-in sessions (issue 14). The browser holds a random 256-bit session id in an HttpOnly cookie;
-- this table holds only its SHA-256 (id_sha256, hex), so a copy of the database signs nobody in. A session of a
-- configured token keeps that token's SHA-256 (token_sha256, hex) and each request re-checks that a token with it
-- is still configured: removing the token from the configuration ends its sessions. A session of an OIDC ID
-- token (token_sha256 NULL) keeps the verified principal's scopes and environments (comma lists; environments
-- NULL: every environment) and expires no later than the ID token did. csrf_secret is the value every form of
-- the session carries. Bookkeeping only: written outside the pin write lock.
CREATE TABLE dashboard_sessions (
    id_sha256    TEXT   NOT NULL PRIMARY KEY,
    token_name   TEXT   NOT NULL,
    token_sha256 TEXT,
    scopes       TEXT,
    environments TEXT,
    csrf_secret  TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);

CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);
