package io.lockstep.store;

import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps SQLite's prepared statements per connection and hands the same one out again for the same SQL. The
 * SQLite driver compiles every {@code prepareStatement} from scratch (PostgreSQL's driver caches on its own), and
 * a profile of the promote path put that compilation at about 12% of a promote's CPU (bench/README.md).
 * <p>
 * Statements are prepared on the driver's own connection, not the pool's proxy, which would close them when the
 * connection goes back to the pool; they live as long as the physical connection (closed with it when the pool
 * evicts it, then prepared afresh). A statement is checked out while Jdbi uses it, so a query nested inside the
 * iteration of the same query gets a second, uncached one. Only plain statements are cached: generated keys,
 * updatable result sets and statements whose settings were changed are closed as usual.
 */
final class SqliteStatementCache implements StatementBuilderFactory {
    /** Distinct SQL texts kept per connection; statements with generated IN lists come and go beyond it. */
    static final int PER_CONNECTION = 256;
    private final Map<Connection, Idle> byConnection = Collections.synchronizedMap(new WeakHashMap<>());
    private final StatementBuilder plain = new DefaultStatementBuilder();

    /** The idle statements of one physical connection, least recently returned first. */
    private static final class Idle extends LinkedHashMap<String, PreparedStatement> {
        /**
         * Statements handed out and not yet returned, with the SQL they were prepared from (Jdbi returns them with
         * its SQL before parameter parsing), so that only ours are taken back.
         */
        final Map<Statement, String> out = new IdentityHashMap<>();

        Idle() {
            super(64, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= PER_CONNECTION) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    }

    @Override
    public StatementBuilder createStatementBuilder(Connection conn) {
        return new Builder();
    }

    private final class Builder implements StatementBuilder {
        @Override
        public Statement create(Connection conn, StatementContext ctx) throws SQLException {
            return plain.create(conn, ctx);
        }

        @Override
        public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
            if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
                return plain.create(conn, sql, ctx);
            }
            Connection raw = conn.unwrap(SQLiteConnection.class);
            Idle idle = byConnection.computeIfAbsent(raw, c -> new Idle());
            PreparedStatement s = idle.remove(sql);
            if (s == null || s.isClosed()) {
                s = raw.prepareStatement(sql);
            }
            idle.out.put(s, sql);
            return s;
        }

        @Override
        public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
            return plain.createCall(conn, sql, ctx);
        }

        @Override
        public void close(Connection conn, String sql, Statement stmt) throws SQLException {
            Idle idle = byConnection.get(conn.unwrap(SQLiteConnection.class));
            String prepared = idle == null ? null : idle.out.remove(stmt);
            if (prepared == null) {
                plain.close(conn, sql, stmt); // not one of ours
                return;
            }
            if (stmt.isClosed()) {
                return;
            }
            if (stmt.getMaxRows() != 0 || stmt.getQueryTimeout() != 0 || idle.containsKey(prepared)) {
                stmt.close(); // changed by a customizer, or a second copy of a statement already idle
                return;
            }
            // A statement left on a row keeps its connection's read transaction open: every later read on that
            // connection would see the database as it was then. Closing it did that before there was a cache.
            ((CoreStatement) stmt).pointer.safeRunInt(DB::reset);
            ((PreparedStatement) stmt).clearParameters();
            stmt.clearBatch();
            idle.put(prepared, (PreparedStatement) stmt);
        }
    }

    private static void closeQuietly(Statement s) {
        try {
            s.close();
        } catch (SQLException ignored) {
            // it goes away with its connection anyway
        }
    }
}
