package io.lockstep.store;

import io.lockstep.domain.Action;
import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.ProvenanceKind;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Row mappers from the portable schema to domain records, shared by every table's queries. */
final class Rows {
    private Rows() {
    }

    static final RowMapper<Template> TEMPLATE = (rs, ctx) -> new Template(rs.getString("name"),
            rs.getString("repository"), Json.list(rs.getString("kinds")), rs.getString("lockstep_group"),
            rs.getInt("pinnable") != 0);

    static final RowMapper<Pin> PIN = (rs, ctx) -> new Pin(key(rs), rs.getString("digest"), rs.getString("image_ref"),
            rs.getString("git_sha"), rs.getString("runtime_version"), Instant.ofEpochMilli(rs.getLong("promoted_at")),
            rs.getString("promoted_by"), rs.getString("notes"), Json.map(rs.getString("provenance")),
            rs.getLong("version"), ProvenanceKind.fromWire(rs.getString("provenance_kind")));

    static final RowMapper<HistoryEntry> HISTORY = (rs, ctx) -> new HistoryEntry(rs.getLong("seq"), key(rs),
            rs.getString("from_digest"), rs.getString("to_digest"), rs.getString("git_sha"),
            rs.getString("runtime_version"), rs.getString("notes"), rs.getString("promoted_by"),
            Json.map(rs.getString("provenance")), Action.fromWire(rs.getString("action")),
            Instant.ofEpochMilli(rs.getLong("at")), rs.getString("release_id"), rs.getString("prev_hash"),
            rs.getString("hash"), ProvenanceKind.fromWire(rs.getString("provenance_kind")),
            rs.getString("override_reason"), HistoryEntry.overrodeFromColumn(rs.getString("overrode")));

    static final RowMapper<HistoryChain.Head> HEAD = (rs, ctx) -> new HistoryChain.Head(rs.getLong("seq"),
            rs.getString("hash"));

    static final RowMapper<Release> RELEASE = (rs, ctx) -> new Release(rs.getString("id"),
            rs.getString("lockstep_group"), rs.getString("runtime_version"), rs.getString("git_sha"),
            Json.map(rs.getString("images")), Json.map(rs.getString("exclude")),
            Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("created_by"), registrants(rs));

    static final RowMapper<io.lockstep.domain.ReleaseEvent> RELEASE_EVENT = (rs, ctx) -> new io.lockstep.domain.ReleaseEvent(
            rs.getString("release_id"), rs.getString("lockstep_group"),
            io.lockstep.domain.ReleaseEvent.Kind.fromWire(rs.getString("action")), Json.map(rs.getString("images_before")),
            rs.getString("images_after") == null ? null : Json.map(rs.getString("images_after")), rs.getString("actor"),
            rs.getString("reason"), Instant.ofEpochMilli(rs.getLong("at")));

    /** Releases registered before V3 recorded no registrants: they stay promotable everywhere, as they were. */
    private static Registrants registrants(ResultSet rs) throws SQLException {
        String tokens = rs.getString("registered_by");
        if (tokens == null) {
            return null;
        }
        String environments = rs.getString("registrant_environments");
        return new Registrants(Json.list(tokens), environments == null ? null : new java.util.TreeSet<>(Json.list(environments)));
    }

    static final RowMapper<Fence> FENCE = (rs, ctx) -> new Fence(rs.getString("id"), rs.getString("environment"),
            rs.getString("reason"), rs.getString("created_by"), Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("expires_at")));

    static final RowMapper<io.lockstep.domain.LineStop> LINE_STOP = (rs, ctx) -> new io.lockstep.domain.LineStop(
            rs.getString("id"), rs.getString("environment"), rs.getString("lockstep_group"), rs.getString("reason"),
            rs.getString("stopped_by"), Instant.ofEpochMilli(rs.getLong("stopped_at")), instant(rs, "until_at"),
            instant(rs, "lifted_at"), rs.getString("lifted_by"), rs.getString("lift_reason"));

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static PinKey key(ResultSet rs) throws SQLException {
        return new PinKey(rs.getString("environment"), rs.getString("template"), rs.getString("region"));
    }
}
