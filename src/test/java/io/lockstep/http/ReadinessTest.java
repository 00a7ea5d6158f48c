package io.lockstep.http;

import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /readyz during a store that does not answer: a flood of unauthenticated probes is answered from
 * memory, at most one query waits on the database, and the answer turns 503 once that query has
 * not answered for 2 s. Before, every /readyz took a pooled connection and waited with it.
 */
class ReadinessTest {
    @TempDir
    Path dir;

    @Test
    void aFloodOfReadinessProbesNeverQueuesBehindAHangingStore() throws Exception {
        DatabaseSettings db = StoreKind.POSTGRES.create(dir);
        try (TestServer s = new TestServer(db);
             Connection locker = DriverManager.getConnection(db.url(), db.user(), db.password());
             Connection observer = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            assertThat(s.http.get("/readyz", null).status()).isEqualTo(200);
            // The readiness probe reads templates; an ACCESS EXCLUSIVE lock makes that read hang.
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE templates IN ACCESS EXCLUSIVE MODE");
            }
            Thread.sleep(1_100); // let the cached answer age past 1 s so requests start a probe

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<CompletableFuture<Integer>> flood = new ArrayList<>();
            int maxWaiting = 0;
            try {
                for (int i = 0; i < 200; i++) {
                    flood.add(CompletableFuture.supplyAsync(() -> readyz(client, s.url()), pool));
                    if (i % 20 == 0) {
                        maxWaiting = Math.max(maxWaiting, waitingOnLocks(observer));
                    }
                }
                for (CompletableFuture<Integer> f : flood) {
                    // 10 s is a hang detector, not a latency bound: before, these waited as long as the lock.
                    assertThat(f.get(10, TimeUnit.SECONDS)).isIn(200, 503);
                    maxWaiting = Math.max(maxWaiting, waitingOnLocks(observer));
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(maxWaiting).as("database sessions waiting for the store during the flood").isLessThanOrEqualTo(1);

            Awaitility.await("/readyz reports the store that does not answer").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> s.http.get("/readyz", null).status() == 503);
            Http.Response notReady = s.http.get("/readyz", null);
            assertThat(notReady.code()).as(notReady.body()).isEqualTo("STORE_UNAVAILABLE");

            locker.rollback();
            Awaitility.await("/readyz ready again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> s.http.get("/readyz", null).status() == 200);
        }
    }

    private static int readyz(HttpClient client, String base) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException("/readyz did not answer: " + e, e);
        }
    }

    private static int waitingOnLocks(Connection c) throws Exception {
        try (Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")) {
            r.next();
            return r.getInt(1);
        }
    }
}
