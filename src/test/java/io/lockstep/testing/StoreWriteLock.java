package io.lockstep.testing;

import io.lockstep.store.DatabaseSettings;
import io.lockstep.store.Dialect;
import io.lockstep.store.JdbiStore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Holds a Lockstep store's write lock from the test, so that writers sent meanwhile queue up behind it
 * and then run one after another: a collision that is certain instead of lucky. {@link #waiting()}
 * says how many writers are queued. Close it on the thread that opened it.
 *
 * <p>PostgreSQL serialises writes with a transaction-scoped advisory lock, which the test takes with a
 * session lock on the same key ({@link JdbiStore#WRITE_LOCK_KEY}), from any process. An in-process
 * SQLite store serialises them with a fair in-process lock, which the test takes through
 * {@link JdbiStore#holdLocalWriteLock()}.
 */
public abstract class StoreWriteLock implements AutoCloseable {

    /** Writers queued behind the lock right now. */
    public abstract int waiting();

    @Override
    public abstract void close();

    /** Takes the write lock of an in-process server's store (SQLite or PostgreSQL). */
    public static StoreWriteLock hold(TestServer server) {
        return hold(server.server.store(), server.db);
    }

    /** Takes the write lock of a store opened in this process on {@code db}. */
    public static StoreWriteLock hold(JdbiStore store, DatabaseSettings db) {
        if (store.dialect() == Dialect.SQLITE) {
            return new Local(store.holdLocalWriteLock());
        }
        return holdPostgres(db);
    }

    /** Takes the advisory write lock of every Lockstep process on this PostgreSQL database. */
    public static StoreWriteLock holdPostgres(DatabaseSettings db) {
        return new Advisory(db, JdbiStore.WRITE_LOCK_KEY);
    }

    private static final class Local extends StoreWriteLock {
        private final JdbiStore.LocalWriteHold hold;

        Local(JdbiStore.LocalWriteHold hold) {
            this.hold = hold;
        }

        @Override
        public int waiting() {
            return hold.waiting();
        }

        @Override
        public void close() {
            hold.close();
        }
    }

    private static final class Advisory extends StoreWriteLock {
        private final Connection connection;
        private final long key;

        Advisory(DatabaseSettings db, long key) {
            this.key = key;
            try {
                connection = DriverManager.getConnection(db.url(), db.user(), db.password());
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT pg_advisory_lock(" + key + ")");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int waiting() {
            try (Statement s = connection.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                         + " WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()")) {
                r.next();
                return r.getInt(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try (connection; Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + key + ")");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
