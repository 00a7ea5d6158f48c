package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An environment's promotion policy changed through the admin API (issue 12 item 1), on both stores:
 * it applies to the next promote without a restart, every change is kept with who and why, a bad
 * document or a non-admin changes nothing, it survives a restart, and on PostgreSQL a change through
 * one replica is the policy of the other.
 */
class PolicyAdminApiTest {
    private static final String POLICY = "/api/v1/environments/prod/policy";
    /** Sunday noon in Berlin: inside a FRI 16:00 – MON 08:00 window. */
    private static final Instant SUNDAY = Instant.parse("2026-12-06T11:00:00Z");
    private static final String WEEKEND = """
            {"policy": {"freeze_windows": [{"name": "weekend", "from": "FRI 16:00", "to": "MON 08:00",
              "zone": "Europe/Berlin"}]}, "reason": "CHG-1234: no weekend deploys"}""";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPolicySetThroughTheApiAppliesAtOnceIsRecordedAndSurvivesARestart(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        String t;
        String d1 = Unique.digest();
        try (TestServer s = new TestServer(db)) {
            s.clock.freezeAt(SUNDAY);
            t = Api.newTemplate(s, Unique.name("grp"));
            Api.promoteOk(s, t, d1);
            JsonNode before = s.http.get(POLICY, TestConfig.READER).json();
            assertThat(before.path("source").asText()).isEqualTo("config");
            assertThat(before.path("policy").isEmpty()).as(before.toString()).isTrue();

            // Refused: not an admin, a bad document, no reason. Nothing changes.
            assertError(s.http.put(POLICY, TestConfig.CI, WEEKEND), 403, "FORBIDDEN");
            Http.Response badZone = s.http.put(POLICY, TestConfig.ADMIN, WEEKEND.replace("Europe/Berlin", "Europe/Atlantis"));
            assertError(badZone, 400, "INVALID_POLICY");
            assertThat(badZone.json().path("error").asText()).contains("policy.freeze_windows[0].zone");
            assertError(s.http.put(POLICY, TestConfig.ADMIN, "{\"policy\": {\"requires\": {\"upstream\": \"prod\"}},"
                    + " \"reason\": \"loop\"}"), 400, "INVALID_POLICY");
            assertError(s.http.put(POLICY, TestConfig.ADMIN, "{\"policy\": {\"approval\": {}}, \"reason\": \"typo\"}"),
                    400, "INVALID_POLICY");
            assertError(s.http.put(POLICY, TestConfig.ADMIN, WEEKEND.replace("CHG-1234: no weekend deploys", " ")),
                    400, "MISSING_FIELD");
            assertThat(s.http.get(POLICY + "/changes", TestConfig.READER).json().path("changes")).isEmpty();
            Api.promoteOk(s, t, Unique.digest());

            Http.Response set = s.http.put(POLICY, TestConfig.ADMIN, WEEKEND);
            assertThat(set.status()).as(set.body()).isEqualTo(200);
            assertThat(set.json().path("source").asText()).isEqualTo("api");
            assertThat(set.json().path("policy").path("freeze_windows").get(0).path("from").asText()).isEqualTo("fri 16:00");
            long rows = Api.historyRows(s);
            assertError(Api.promote(s, t, Unique.digest()), 409, "FROZEN");
            assertThat(Api.historyRows(s)).isEqualTo(rows);
            JsonNode change = s.http.get(POLICY + "/changes", TestConfig.READER).json().path("changes").get(0);
            assertThat(change.path("changed_by").asText()).isEqualTo("admin");
            assertThat(change.path("reason").asText()).isEqualTo("CHG-1234: no weekend deploys");
            assertThat(change.path("action").asText()).isEqualTo("set");
        }
        try (TestServer restarted = new TestServer(db)) {
            restarted.clock.freezeAt(SUNDAY);
            assertError(Api.promote(restarted, t, Unique.digest()), 409, "FROZEN");
            assertThat(restarted.http.get(POLICY, TestConfig.READER).json().path("source").asText()).isEqualTo("api");

            Http.Response reset = restarted.http.delete(POLICY + "?reason=weekend%20freeze%20lifted", TestConfig.ADMIN);
            assertThat(reset.status()).as(reset.body()).isEqualTo(200);
            assertThat(reset.json().path("source").asText()).isEqualTo("config");
            Api.promoteOk(restarted, t, Unique.digest());
            JsonNode changes = restarted.http.get(POLICY + "/changes", TestConfig.READER).json().path("changes");
            assertThat(changes).hasSize(2);
            assertThat(changes.get(0).path("action").asText()).isEqualTo("reset_to_config");
            assertThat(changes.get(0).path("reason").asText()).isEqualTo("weekend freeze lifted");
        }
    }

    /**
     * The change reaches the other replica by its announcement, in milliseconds; 10 s is patience for a loaded
     * machine, and well under the 30 s periodic reload, so this fails if the announcement path breaks.
     */
    @Test
    void twoReplicasOnOnePostgresApplyTheSamePolicy() {
        DatabaseSettings db = TestDatabases.freshPostgres();
        try (TestServer a = new TestServer(db); TestServer b = new TestServer(db)) {
            a.clock.freezeAt(SUNDAY);
            b.clock.freezeAt(SUNDAY);
            String t = Api.newTemplate(a, Unique.name("grp"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Api.promote(b, t, Unique.digest()).status()).isIn(200, 201));
            assertThat(a.http.put(POLICY, TestConfig.ADMIN, WEEKEND).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertError(Api.promote(b, t, Unique.digest()), 409, "FROZEN"));
            assertThat(b.http.delete(POLICY + "?reason=lifted", TestConfig.ADMIN).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Api.promote(a, t, Unique.digest()).status()).isIn(200, 201));
        }
    }
}
