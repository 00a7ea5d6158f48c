package io.lockstep.store;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The one place that decides whether a database error is an infrastructure failure (answered
 * 503 with a specific code) rather than a bug (500). Both drivers are asked in their own terms:
 * SQLite result codes, PostgreSQL SQLSTATE classes.
 */
public final class StoreFailures {
    private StoreFailures() {
    }

    /** The reason for {@code failure}, looking through its causes; empty when it is not an infrastructure failure. */
    public static Optional<StoreUnavailableException.Reason> classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreUnavailableException s) {
                return Optional.of(s.reason());
            }
            Optional<StoreUnavailableException.Reason> r = classifyOne(t);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private static Optional<StoreUnavailableException.Reason> classifyOne(Throwable t) {
        if (t instanceof SQLiteException sqlite) {
            return sqlite(sqlite.getResultCode());
        }
        if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.ConnectException
                || t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
            return Optional.of(StoreUnavailableException.Reason.UNAVAILABLE);
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            return sqlState(sql.getSQLState());
        }
        return Optional.empty();
    }

    static Optional<StoreUnavailableException.Reason> sqlite(SQLiteErrorCode code) {
        if (code == null) {
            return Optional.empty();
        }
        // Extended codes (SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE, …) carry their primary code in the low byte.
        int primary = code.code & 0xff;
        return switch (primary) {
            case 13 -> Optional.of(StoreUnavailableException.Reason.DISK_FULL);        // SQLITE_FULL
            case 8 -> Optional.of(StoreUnavailableException.Reason.READ_ONLY);         // SQLITE_READONLY
            case 3, 23 -> Optional.of(StoreUnavailableException.Reason.READ_ONLY);     // SQLITE_PERM, SQLITE_AUTH
            case 5, 6, 10, 14, 15 -> Optional.of(StoreUnavailableException.Reason.UNAVAILABLE); // BUSY, LOCKED, IOERR, CANTOPEN, PROTOCOL
            // A trigger's RAISE(ABORT, …): the database, not Lockstep, refused the row.
            case 19 -> code == SQLiteErrorCode.SQLITE_CONSTRAINT_TRIGGER
                    ? Optional.of(StoreUnavailableException.Reason.WRITE_REFUSED) : Optional.empty();
            default -> Optional.empty();
        };
    }

    static Optional<StoreUnavailableException.Reason> sqlState(String state) {
        if (state.equals("53100")) {                                        // disk_full
            return Optional.of(StoreUnavailableException.Reason.DISK_FULL);
        }
        if (state.equals("25006")) {                                        // read_only_sql_transaction (a standby)
            return Optional.of(StoreUnavailableException.Reason.READ_ONLY);
        }
        if (state.startsWith("08")                                          // connection exception
                || state.startsWith("57P")                                  // admin/crash shutdown, cannot connect now
                || state.startsWith("53")                                   // insufficient resources
                || state.equals("57014")) {                                 // query_canceled (statement timeout)
            return Optional.of(StoreUnavailableException.Reason.UNAVAILABLE);
        }
        if (state.equals("P0001") || state.equals("42501")) {              // raise_exception, insufficient_privilege
            return Optional.of(StoreUnavailableException.Reason.WRITE_REFUSED);
        }
        return Optional.empty();
    }
}
