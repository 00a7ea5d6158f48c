package io.lockstep.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.config.ConfigLoader;
import io.lockstep.config.ConfigNode;
import io.lockstep.config.LockstepConfig;
import io.lockstep.config.Yaml;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's prod policies (issue 12 item 7), with the demo's own configuration file and seed: the incident
 * still shows as stuck; a newcomer following the banner meets every gate explained (staging never ran the
 * release, then the soak and the missing approval), clears the approval with the demo approver's token, and
 * promotes once the soak is over; on a Friday evening prod is frozen and says until when.
 */
class DemoPoliciesTest {
    private static final String ADMIN = "lsk_demo_admin_test_0001";
    private static final String APPROVER = "lsk_demo_approver_test_0002";
    private static final String RELEASE = "runtime@v0.3.43";
    /** A Wednesday noon in the future (so the seeded past is recent), whatever day the test runs. */
    private static final Instant WEDNESDAY = ZonedDateTime.now(ZoneOffset.UTC).plusDays(1)
            .with(TemporalAdjusters.next(DayOfWeek.WEDNESDAY)).withHour(12).withMinute(0).withSecond(0).withNano(0)
            .toInstant();

    @TempDir
    Path dir;

    private TestServer demo() throws Exception {
        var db = TestDatabases.sqlite(dir);
        LockstepConfig config;
        try (InputStream in = DemoPoliciesTest.class.getResourceAsStream("/demo-config.yaml")) {
            config = ConfigLoader.parse(new ConfigNode(Yaml.read(in), ""), Map.of("LOCKSTEP_ADMIN_TOKEN", ADMIN,
                    "LOCKSTEP_DEMO_APPROVER_TOKEN", APPROVER, "LOCKSTEP_DATABASE_URL", db.url(), "LOCKSTEP_PORT", "0"));
        }
        TestServer s = new TestServer(db, config);
        s.clock.freezeAt(WEDNESDAY);
        new DemoSeeder(s.server, s.clock).seed();
        return s;
    }

    @Test
    void aNewcomerMeetsEachGateExplainedAndClearsTheApprovalWithTheApproverToken() throws Exception {
        try (TestServer s = demo()) {
            assertThat(finding(s, "prod", "platform-agent").path("status").asText())
                    .as("the incident is still the demo's headline").isEqualTo("stuck");

            JsonNode first = s.http.get("/api/v1/environments/prod/promotability?release=" + RELEASE, ADMIN).json();
            assertThat(first.path("promotable").booleanValue()).isFalse();
            assertThat(first.path("code").asText()).isEqualTo("NOT_IN_UPSTREAM");
            assertThat(codes(first)).containsExactly("NOT_IN_UPSTREAM", "APPROVAL_REQUIRED");

            Http.Response staging = s.http.post("/api/v1/environments/staging/releases/" + RELEASE + "/promote", ADMIN,
                    Json.obj("notes", "staging first"));
            assertThat(staging.status()).as(staging.body()).isEqualTo(200);
            Http.Response soaking = s.http.post("/api/v1/environments/prod/releases/" + RELEASE + "/promote", ADMIN, "{}");
            assertThat(soaking.status()).as(soaking.body()).isEqualTo(409);
            assertThat(soaking.json().path("code").asText()).isEqualTo("SOAKING");
            assertThat(soaking.body()).contains("APPROVAL_REQUIRED").contains("not bootstrap-admin");

            Http.Response selfApproval = s.http.post("/api/v1/environments/prod/approvals", ADMIN, Json.obj("release", RELEASE));
            assertThat(selfApproval.status()).as("admin may approve, but four-eyes will not count it for its own promote")
                    .isEqualTo(201);
            assertThat(codes(s.http.get("/api/v1/environments/prod/promotability?release=" + RELEASE, ADMIN).json()))
                    .containsExactly("SOAKING", "APPROVAL_REQUIRED");
            Http.Response approved = s.http.post("/api/v1/environments/prod/approvals", APPROVER, Json.obj("release", RELEASE));
            assertThat(approved.status()).as(approved.body()).isEqualTo(201);
            assertThat(codes(s.http.get("/api/v1/environments/prod/promotability?release=" + RELEASE, ADMIN).json()))
                    .containsExactly("SOAKING");

            s.clock.advance(Duration.ofHours(1));
            Http.Response promoted = s.http.post("/api/v1/environments/prod/releases/" + RELEASE + "/promote", ADMIN, "{}");
            assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
            assertThat(finding(s, "prod", "platform-agent").path("status").asText()).isEqualTo("current");
        }
    }

    @Test
    void onAFridayEveningProdIsFrozenAndSaysUntilWhen() throws Exception {
        try (TestServer s = demo()) {
            s.clock.freezeAt(WEDNESDAY.plus(Duration.ofDays(2)).plus(Duration.ofHours(6))); // Friday 18:00 UTC, 19:00 Berlin
            JsonNode answer = s.http.get("/api/v1/environments/prod/promotability?release=" + RELEASE, ADMIN).json();
            assertThat(codes(answer)).contains("FROZEN");
            assertThat(answer.toString()).contains("friday-evening").contains("(Europe/Berlin)");
        }
    }

    private static java.util.List<String> codes(JsonNode answer) {
        java.util.List<String> out = new java.util.ArrayList<>();
        answer.path("refusals").forEach(r -> out.add(r.path("code").asText()));
        return out;
    }

    private static JsonNode finding(TestServer s, String env, String template) {
        for (JsonNode f : s.http.get("/api/v1/drift?environment=" + env, ADMIN).json().path("findings")) {
            if (f.path("template").asText().equals(template)) {
                return f;
            }
        }
        throw new AssertionError("no finding for " + template);
    }
}
