package io.lockstep.testing;

import io.lockstep.store.DatabaseSettings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Real databases for tests: a SQLite file in a temp directory, or a fresh database on the local
 * PostgreSQL server. Without PostgreSQL a developer's run skips those tests with a message; when real
 * services are mandatory ({@link RealServices}: {@code CI=true} and friends) it is a failure, never a skip.
 */
public final class TestDatabases {
    /** Admin connection used to create one database per test; override with LOCKSTEP_TEST_PG_URL. */
    public static final String PG_ADMIN_URL = System.getenv().getOrDefault("LOCKSTEP_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/lockstep");
    public static final String PG_USER = System.getenv().getOrDefault("LOCKSTEP_TEST_PG_USER", "lockstep");
    public static final String PG_PASSWORD = System.getenv().getOrDefault("LOCKSTEP_TEST_PG_PASSWORD", "lockstep");

    /** Databases this JVM created; dropped when it exits so developer machines do not fill up. */
    private static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropCreated, "drop-test-databases"));
    }

    private TestDatabases() {
    }

    private static void dropCreated() {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD);
             Statement s = c.createStatement()) {
            for (String name : CREATED) {
                // FORCE: a server under test may still hold pooled connections at JVM exit.
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop test databases " + CREATED + ": " + e.getMessage());
        }
    }

    /** Kept for callers written before {@link RealServices}; same answer as {@link RealServices#mandatory()}. */
    public static boolean inCi() {
        return RealServices.mandatory();
    }

    public static DatabaseSettings sqlite(Path dir) {
        return DatabaseSettings.sqlite(dir.resolve("lockstep.db"));
    }

    /** A new, empty PostgreSQL database; skips, or fails when real services are mandatory, when none is reachable. */
    public static DatabaseSettings freshPostgres() {
        String name = "lockstep_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            CREATED.add(name);
        } catch (SQLException e) {
            throw RealServices.missing("PostgreSQL is not reachable at " + PG_ADMIN_URL + " as " + PG_USER
                    + " (" + e.getMessage() + ")", RealServices.INSTALL_POSTGRES, e);
        }
        String base = PG_ADMIN_URL.substring(0, PG_ADMIN_URL.lastIndexOf('/') + 1);
        return new DatabaseSettings(base + name, PG_USER, PG_PASSWORD, 8);
    }

    /** Runs one SQL statement directly, bypassing Lockstep (e.g. to tamper with history in a test). */
    public static void execute(DatabaseSettings db, String sql) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
