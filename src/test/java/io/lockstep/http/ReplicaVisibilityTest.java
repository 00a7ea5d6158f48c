package io.lockstep.http;

import io.lockstep.domain.PinKey;
import io.lockstep.store.Change;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas in this JVM sharing one PostgreSQL database: a change through one reaches the other
 * through LISTEN/NOTIFY. Each replica's store listeners are watched: a change this replica did not
 * write can only arrive there by notification (the 30 s periodic safety net reloads the snapshot
 * directly, never through the listeners), and the snapshot applies it before later listeners run,
 * so the check right after the arrival proves the notification path without a stop-watch. Waits
 * are generous (a loaded 2-core machine), not part of what is proven.
 */
class ReplicaVisibilityTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    static TestServer a;
    static TestServer b;
    static Arrivals toA;
    static Arrivals toB;

    @BeforeAll
    static void start() {
        DatabaseSettings db = TestDatabases.freshPostgres();
        a = new TestServer(db);
        b = new TestServer(db);
        toA = Arrivals.on(a);
        toB = Arrivals.on(b);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    /** Every change a replica's store announced, in order (its own commits and notified ones). */
    static final class Arrivals implements Consumer<Change> {
        private final List<Change> changes = new ArrayList<>();

        static Arrivals on(TestServer s) {
            Arrivals arrivals = new Arrivals();
            s.server.store().onChange(arrivals);
            return arrivals;
        }

        @Override
        public synchronized void accept(Change change) {
            changes.add(change);
        }

        synchronized long of(PinKey key) {
            return changes.stream().filter(c -> !c.isEverything() && c.pins().contains(key)).count();
        }

        synchronized long everything() {
            return changes.stream().filter(Change::isEverything).count();
        }
    }

    private static PinKey prod(String template) {
        return new PinKey("prod", template, null);
    }

    /** Waits until {@code arrivals} has more changes of {@code key} than {@code before}. */
    private static void awaitNotified(Arrivals arrivals, PinKey key, long before) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> arrivals.of(key) > before);
    }

    private static String resolved(TestServer s, String query) {
        Http.Response r = s.http.get("/api/v1/resolve?" + query, TestConfig.READER);
        return r.status() == 200 ? r.json().path("image_digest").asText() : r.code();
    }

    /**
     * Both listeners are connected and past their reconnect reload: a promote through each replica has
     * been notified to the other. After this, an "everything" change arriving at a replica that wrote
     * nothing is a notification too.
     */
    private static void awaitListening() {
        String t = "claude-code";
        long atB = toB.of(prod(t));
        Api.promoteOk(a, t, Unique.digest());
        awaitNotified(toB, prod(t), atB);
        long atA = toA.of(prod(t));
        Api.promoteOk(b, t, Unique.digest());
        awaitNotified(toA, prod(t), atA);
    }

    @Test
    void aPromoteThroughOneReplicaResolvesThroughTheOther() {
        String t = Api.newTemplate(a);
        await().atMost(PATIENCE).until(() -> b.http.get("/api/v1/templates/" + t, TestConfig.READER).status() == 200);
        for (int i = 0; i < 5; i++) {
            TestServer writer = i % 2 == 0 ? a : b;
            TestServer reader = i % 2 == 0 ? b : a;
            Arrivals atReader = i % 2 == 0 ? toB : toA;
            long before = atReader.of(prod(t));
            String d = Unique.digest();
            Api.promoteOk(writer, t, d);
            awaitNotified(atReader, prod(t), before);
            assertThat(resolved(reader, "template=" + t)).as("resolve right after the notification arrived").isEqualTo(d);
        }
    }

    @Test
    void aTemplateCreatedOnOneReplicaIsUsableOnTheOther() {
        awaitListening();
        String kind = Unique.name("kind");
        long before = toB.everything();
        String t = Api.newTemplate(a, null, kind);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> toB.everything() > before);
        // Known to B's snapshot: by kind, B answers "no pin yet", not "unknown kind".
        assertThat(resolved(b, "kind=" + kind)).isEqualTo("RUNTIME_PIN_MISSING");
        assertThat(b.http.get("/api/v1/templates/" + t, TestConfig.READER).status()).isEqualTo(200);
        // B can promote it (its snapshot knows the template) and A resolves the result by kind.
        long atA = toA.of(prod(t));
        String d = Unique.digest();
        Api.promoteOk(b, t, d);
        awaitNotified(toA, prod(t), atA);
        assertThat(resolved(a, "kind=" + kind)).isEqualTo(d);
        assertThat(b.http.get("/cp/runtimes", null).body()).contains(t);
    }

    @Test
    void bothReplicasShareOneHistoryChain() {
        String t = Api.newTemplate(a);
        Api.promoteOk(a, t, Unique.digest());
        Api.promoteOk(b, t, Unique.digest());
        Api.promoteOk(a, t, Unique.digest());
        Http.Response verify = b.http.get("/api/v1/history/verify", TestConfig.READER);
        assertThat(verify.json().path("valid").asBoolean()).as(verify.body()).isTrue();
        assertThat(Api.history(b, "prod", t, null)).hasSize(3);
    }
}
