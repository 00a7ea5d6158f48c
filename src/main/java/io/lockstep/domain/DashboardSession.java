package io.lockstep.domain;

import java.time.Instant;

/**
 * One signed-in dashboard browser, as stored (never the session id itself, only its SHA-256).
 *
 * @param idSha256     hex SHA-256 of the session id the cookie carries
 * @param tokenName    the configured token's (or OIDC principal's) name, shown as the signed-in identity
 * @param tokenSha256  hex SHA-256 of the configured token's secret; null for an OIDC principal
 * @param scopes       an OIDC principal's scopes (comma list); null for a configured token (read from it)
 * @param environments an OIDC principal's environments (comma list); null: every environment, or a configured token
 * @param csrfSecret   the value every form of this session carries
 */
public record DashboardSession(String idSha256, String tokenName, String tokenSha256, String scopes,
                               String environments, String csrfSecret, Instant createdAt, Instant expiresAt) {

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() { // never the csrf secret in a log line
        return "DashboardSession[" + tokenName + " until " + expiresAt + "]";
    }
}
