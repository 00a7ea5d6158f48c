package io.lockstep.http;

import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Tmpfs;
import io.lockstep.testing.Unique;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Infrastructure failures of the store, injected for real: a PostgreSQL backend terminated in the
 * middle of a promote, a SQLite disk that is full, SQLite files that became read-only. Each must
 * answer 503 with its own code, sentence and Retry-After, change nothing, leave resolve answering,
 * make /readyz not ready, and recover by itself once the fault is gone.
 */
class StoreFailureTest {
    private static final String PIN = "platform-agent";
    /** JdbiStore's advisory lock key: holding it parks the next promote where the test can find it. */
    private static final long WRITE_LOCK_KEY = 0x10c5_7e9L;

    @TempDir
    Path dir;

    @Test
    void postgresConnectionTerminatedInTheMiddleOfAPromote() throws Exception {
        DatabaseSettings db = StoreKind.POSTGRES.create(dir);
        try (TestServer s = new TestServer(db);
             Connection blocker = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            String before = promoteOk(s);
            long rows = Api.historyRows(s);
            try (Statement st = blocker.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + WRITE_LOCK_KEY + ")");
            }
            CompletableFuture<Http.Response> promote = CompletableFuture.supplyAsync(
                    () -> Api.promote(s, PIN, Unique.digest()));
            // pg_terminate_backend is allowed on backends of one's own role: no superuser needed.
            int pid = Awaitility.await("the promote waits on the write lock").atMost(Duration.ofSeconds(20))
                    .until(() -> waitingBackend(blocker), p -> p > 0);
            try (Statement st = blocker.createStatement();
                 ResultSet r = st.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
                assertThat(r.next() && r.getBoolean(1)).as("terminated backend %s", pid).isTrue();
            }
            Http.Response failed = promote.get(30, TimeUnit.SECONDS);

            assertUnavailable(s, failed, "STORE_UNAVAILABLE", "the database is not reachable");
            assertNothingChanged(s, before, rows);
            try (Statement st = blocker.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + WRITE_LOCK_KEY + ")");
            }
            assertRecovers(s, rows);
        }
    }

    @Test
    void sqliteDiskFull() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "8m");
             TestServer s = new TestServer(TestDatabases.sqlite(disk.dir()))) {
            String before = promoteOk(s);
            long rows = Api.historyRows(s);
            Path filler = disk.fill();

            Http.Response failed = Api.promote(s, PIN, Unique.digest());
            assertUnavailable(s, failed, "STORE_DISK_FULL", "the database disk is full");
            assertNothingChanged(s, before, rows);
            // Fleet reports write through the same store: the same 503, never a 500, and nothing stored.
            long instances = s.server.fleet().storedInstances();
            Http.Response report = s.http.post("/api/v1/fleet/reports", TestConfig.REPORTER,
                    io.lockstep.service.fleet.SeedIncident.reportsAt("prod", "platform", "full-disk", 200,
                            Unique.digest(), s.clock.instant()));
            assertUnavailable(s, report, "STORE_DISK_FULL", "the database disk is full");
            assertThat(s.server.fleet().storedInstances()).isEqualTo(instances);
            Files.delete(filler);
            assertRecovers(s, rows);
        }
    }

    @Test
    void sqliteReadOnlyFiles() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "16m");
             TestServer s = new TestServer(TestDatabases.sqlite(disk.dir()))) {
            String before = promoteOk(s);
            long rows = Api.historyRows(s);
            Path file = disk.dir().resolve("lockstep.db");
            Tmpfs.immutable(file, true);

            Http.Response failed = Api.promote(s, PIN, Unique.digest());
            assertUnavailable(s, failed, "STORE_READ_ONLY", "the database files are read-only");
            assertNothingChanged(s, before, rows);
            // Reads go on through connections the pool reopened meanwhile, which SQLite opened read-only;
            // recovery must not depend on the pool happening to keep its old ones.
            for (int i = 0; i < 10; i++) {
                assertThat(Api.historyRows(s)).isEqualTo(rows);
                Thread.sleep(100);
            }
            Tmpfs.immutable(file, false);
            assertRecovers(s, rows);
        }
    }

    private static String promoteOk(TestServer s) {
        String digest = Unique.digest();
        Api.promoteOk(s, PIN, digest, "environment", "prod");
        return digest;
    }

    /** The pid of the backend of this test's database waiting for the advisory write lock, or 0. */
    private static int waitingBackend(Connection c) throws Exception {
        try (Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND wait_event = 'advisory'")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private static void assertUnavailable(TestServer s, Http.Response r, String code, String sentence) {
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.code()).as(r.body()).isEqualTo(code);
        assertThat(r.json().path("error").asText()).as(r.body()).containsIgnoringCase(sentence)
                .contains("nothing was changed");
        assertThat(r.raw().headers().firstValue("Retry-After")).as("Retry-After").isPresent();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.lockstep")
                .doesNotContain(TestDatabases.PG_PASSWORD + "@").doesNotContain("password");

        Http.Response ready = s.http.get("/readyz", null);
        assertThat(ready.status()).as("/readyz right after the failed write: %s", ready.body()).isEqualTo(503);
        assertThat(ready.code()).as(ready.body()).isEqualTo(code);
    }

    private static void assertNothingChanged(TestServer s, String digestBefore, long rowsBefore) {
        assertThat(Api.pin(s, "prod", PIN, null).path("image_digest").asText()).isEqualTo(digestBefore);
        Http.Response resolve = s.http.get("/api/v1/resolve?environment=prod&kind=platform", TestConfig.READER);
        assertThat(resolve.status()).as("resolve keeps answering: %s", resolve.body()).isEqualTo(200);
        assertThat(resolve.json().path("image_digest").asText()).isEqualTo(digestBefore);
        assertThat(Api.historyRows(s)).as("no history row was added").isEqualTo(rowsBefore);
    }

    /** Without any restart: /readyz turns ready again and the next promote commits. */
    private static void assertRecovers(TestServer s, long rowsBefore) {
        Awaitility.await("/readyz ready again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> s.http.get("/readyz", null).status() == 200);
        String after = Unique.digest();
        Http.Response ok = Api.promote(s, PIN, after, "environment", "prod");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(Api.pin(s, "prod", PIN, null).path("image_digest").asText()).isEqualTo(after);
        assertThat(Api.historyRows(s)).isEqualTo(rowsBefore + 1);
    }
}
