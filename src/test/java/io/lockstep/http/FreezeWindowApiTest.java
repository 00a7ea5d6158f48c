package io.lockstep.http;

import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * prod's {@code freeze_windows} over HTTP on both stores: every promote entry point answers 409 FROZEN
 * (retryable, with {@code retry_after_seconds} and {@code Retry-After} until the window ends) and
 * changes nothing; a rollback still works; outside the window the same promote succeeds.
 */
class FreezeWindowApiTest {
    private static final String PROD = "  - name: prod\n    upstream: staging\n";
    private static final String WINDOWS = """
                freeze_windows:
                  - {name: weekend, from: "FRI 16:00", to: "MON 08:00", zone: Europe/Berlin}
                  - {name: holidays, start: "2026-12-24T00:00:00+01:00", end: "2027-01-02T00:00:00+01:00"}
            """;
    private static final Instant WEDNESDAY = Instant.parse("2026-12-02T12:00:00Z");
    /** Sunday 08:00 in Berlin: the weekend window ends in exactly one day. */
    private static final Instant SUNDAY = Instant.parse("2026-12-06T07:00:00Z");
    /** Monday 08:00 in Berlin: the window's end, so open. */
    private static final Instant MONDAY_END = Instant.parse("2026-12-07T07:00:00Z");
    private static final Map<StoreKind, TestServer> SERVERS = new EnumMap<>(StoreKind.class);

    private static synchronized TestServer server(StoreKind kind) throws Exception {
        TestServer s = SERVERS.get(kind);
        if (s == null) {
            Path dir = Files.createTempDirectory("lockstep-freeze-");
            var db = kind.create(dir);
            s = new TestServer(db, TestConfig.config(db, null, y -> y.replace(PROD, PROD + WINDOWS)));
            SERVERS.put(kind, s);
        }
        return s;
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyPromoteIntoAFrozenEnvironmentIsRefusedAndChangesNothingButARollbackGoesThrough(StoreKind kind) throws Exception {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String t = Api.newTemplate(s, group);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        try {
            s.clock.freezeAt(WEDNESDAY);
            Api.promoteOk(s, t, d1); // the seed form's default environment is prod
            Api.promoteOk(s, t, d2);
            Http.Response release = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group,
                    "runtime_version", "1.0.0", "git_sha", "19f3175", "images", Map.of(t, Unique.digest())));
            assertThat(release.status()).as(release.body()).isEqualTo(201);
            String releaseId = release.json().path("id").asText();

            s.clock.freezeAt(SUNDAY);
            long rows = Api.historyRows(s);
            Http.Response seed = Api.promote(s, t, Unique.digest());
            assertFrozen(seed);
            assertFrozen(s.http.post("/api/v1/environments/prod/pins/" + t + "/promote", TestConfig.CI,
                    Json.obj("image_digest", Unique.digest())));
            assertFrozen(s.http.post("/api/v1/environments/prod/releases/" + releaseId + "/promote", TestConfig.CI,
                    Json.obj("notes", "during the weekend")));
            assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d2);
            assertThat(Api.historyRows(s)).isEqualTo(rows);

            // staging has no window
            assertThat(s.http.post("/api/v1/environments/staging/pins/" + t + "/promote", TestConfig.CI,
                    Json.obj("image_digest", d2)).status()).isIn(200, 201);
            // the emergency exit
            Http.Response rollback = s.http.post("/api/v1/environments/prod/pins/" + t + "/rollback", TestConfig.CI,
                    Json.obj("notes", "d2 crashes"));
            assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
            assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d1);

            s.clock.freezeAt(MONDAY_END);
            String d3 = Unique.digest();
            Api.promoteOk(s, t, d3);
            assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d3);
        } finally {
            s.clock.freezeAt(null);
        }
    }

    private static void assertFrozen(Http.Response r) {
        assertError(r, 409, "FROZEN");
        assertThat(r.json().path("retryable").booleanValue()).isTrue();
        assertThat(r.json().path("error").asText()).as(r.body())
                .startsWith("prod is frozen by window weekend until 2026-12-07T08:00+01:00 (Europe/Berlin)");
        assertThat(r.json().path("window").asText()).isEqualTo("weekend");
        assertThat(r.json().path("retry_after_seconds").asLong()).isEqualTo(86_401L);
        assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("86401");
    }
}
