package io.lockstep.store;

import io.lockstep.domain.DashboardSession;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Optional;

/** The SQL of {@code dashboard_sessions} (V17). */
final class DashboardSessionTable {
    private static final RowMapper<DashboardSession> ROW = (rs, ctx) -> new DashboardSession(
            rs.getString("id_sha256"), rs.getString("token_name"), rs.getString("token_sha256"),
            rs.getString("scopes"), rs.getString("environments"), rs.getString("csrf_secret"),
            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at")));
    private final Handle h;

    DashboardSessionTable(Handle h) {
        this.h = h;
    }

    void insert(DashboardSession s) {
        h.createUpdate("INSERT INTO dashboard_sessions (id_sha256, token_name, token_sha256, scopes, environments,"
                        + " csrf_secret, created_at, expires_at) VALUES (:id, :name, :tok, :scopes, :envs, :csrf, :at, :exp)")
                .bind("id", s.idSha256()).bind("name", s.tokenName()).bind("tok", s.tokenSha256())
                .bind("scopes", s.scopes()).bind("envs", s.environments()).bind("csrf", s.csrfSecret())
                .bind("at", s.createdAt().toEpochMilli()).bind("exp", s.expiresAt().toEpochMilli()).execute();
    }

    Optional<DashboardSession> find(String idSha256) {
        return h.createQuery("SELECT * FROM dashboard_sessions WHERE id_sha256 = :id").bind("id", idSha256)
                .map(ROW).findOne();
    }

    boolean delete(String idSha256) {
        return h.createUpdate("DELETE FROM dashboard_sessions WHERE id_sha256 = :id").bind("id", idSha256).execute() > 0;
    }

    int deleteExpired(Instant now) {
        return h.createUpdate("DELETE FROM dashboard_sessions WHERE expires_at <= :now")
                .bind("now", now.toEpochMilli()).execute();
    }
}
