package io.lockstep.http;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas in this JVM sharing one PostgreSQL database: a change through one is visible
 * through the other within a second. The periodic refresh runs every 30 s, so passing within 1 s
 * proves the LISTEN/NOTIFY path.
 */
class ReplicaVisibilityTest {
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void start() {
        DatabaseSettings db = TestDatabases.freshPostgres();
        a = new TestServer(db);
        b = new TestServer(db);
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

    private static String resolved(TestServer s, String query) {
        Http.Response r = s.http.get("/api/v1/resolve?" + query, TestConfig.READER);
        return r.status() == 200 ? r.json().path("image_digest").asText() : r.code();
    }

    @Test
    void aPromoteThroughOneReplicaResolvesThroughTheOther() {
        String t = Api.newTemplate(a);
        await().atMost(Duration.ofSeconds(1)).until(() -> b.http.get("/api/v1/templates/" + t, TestConfig.READER).status() == 200);
        for (int i = 0; i < 5; i++) {
            TestServer writer = i % 2 == 0 ? a : b;
            TestServer reader = i % 2 == 0 ? b : a;
            String d = Unique.digest();
            Api.promoteOk(writer, t, d);
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> resolved(reader, "template=" + t).equals(d));
        }
    }

    @Test
    void aTemplateCreatedOnOneReplicaIsUsableOnTheOther() {
        String kind = Unique.name("kind");
        String t = Api.newTemplate(a, null, kind);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> b.http.get("/api/v1/templates/" + t, TestConfig.READER).status() == 200);
        assertThat(resolved(b, "kind=" + kind)).isEqualTo("RUNTIME_PIN_MISSING");
        // B can promote it (its snapshot knows the template) and A resolves the result by kind.
        String d = Unique.digest();
        Api.promoteOk(b, t, d);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> resolved(a, "kind=" + kind).equals(d));
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
