package io.lockstep.service.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.service.fleet.SeedIncident;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/drift and the drift metrics on a real server, both stores, with the seed incident. */
class DriftApiTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void seedIncidentIsSplitThenStuckThenCurrentAfterTheWholeReleaseIsPromoted(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir))) {
            SeedIncident seed = new SeedIncident(s).replay();

            JsonNode drift = get(s, "/api/v1/drift");
            for (String env : SeedIncident.ENVIRONMENTS) {
                JsonNode agent = finding(drift, env, "platform-agent");
                assertThat(agent.path("status").asText()).isEqualTo("split");
                assertThat(agent.path("flags").toString()).isEqualTo("[\"in_flight\"]");
                assertThat(agent.path("current_runtime_version").asText()).isEqualTo("v0.3.40");
                assertThat(agent.path("newest_runtime_version").asText()).isEqualTo("v0.3.43");
                assertThat(agent.path("current_release_id").asText()).isEqualTo("runtime@v0.3.40");
                assertThat(agent.path("newest_release_id").asText()).isEqualTo("runtime@v0.3.43");
                assertThat(agent.path("releases_behind").asInt()).isEqualTo(1);
                assertThat(agent.path("behind_since").asText()).isEqualTo(SeedIncident.fixRegisteredAt().toString());
                assertThat(agent.path("digest").asText()).isEqualTo(SeedIncident.digest("platform-agent", "v0.3.40"));
                assertThat(agent.path("explanation").asText()).contains("claude-code").contains("v0.3.43");
                assertThat(finding(drift, env, "claude-code").path("status").asText()).isEqualTo("current");
            }
            // 5 group members + solo (never pinned) per environment
            assertThat(drift.path("counts").path("split").asInt()).isEqualTo(8);
            assertThat(drift.path("counts").path("current").asInt()).isEqualTo(2);
            assertThat(drift.path("counts").path("missing").asInt()).isEqualTo(2);
            assertThat(drift.path("grace_period_seconds").asLong()).isEqualTo(1800);

            s.clock.advance(Duration.ofMinutes(26)); // fix registered 31 minutes ago: past the 30m grace
            drift = get(s, "/api/v1/drift?environment=prod");
            assertThat(environmentsOf(drift)).containsOnly("prod");
            JsonNode agent = finding(drift, "prod", "platform-agent");
            assertThat(agent.path("status").asText()).isEqualTo("stuck");
            assertThat(agent.path("flags").toString()).isEqualTo("[\"split\"]");
            assertThat(agent.path("explanation").asText()).contains("1 release behind");
            // prod promoted v0.3.40 at T0; it is now T0 + 1h31m
            assertThat(agent.path("age_seconds").asLong()).isEqualTo(Duration.ofMinutes(91).toSeconds());

            String metrics = s.http.get("/metrics", null).body();
            String pa = "environment=\"prod\",region=\"global\",";
            assertThat(metrics).contains("lockstep_pin_drift{" + pa + "status=\"stuck\",template=\"platform-agent\"} 1.0")
                    .contains("lockstep_pin_drift{" + pa + "status=\"split\",template=\"platform-agent\"} 0.0")
                    .contains("lockstep_pin_drift{" + pa + "status=\"current\",template=\"claude-code\"} 1.0")
                    .contains("lockstep_pin_releases_behind{" + pa + "template=\"platform-agent\"} 1.0")
                    .contains("lockstep_pin_age_seconds{" + pa + "template=\"platform-agent\"} 5460.0")
                    .contains("lockstep_pin_drift{" + pa + "status=\"missing\",template=\"solo\"} 1.0")
                    .doesNotContain("lockstep_pin_age_seconds{" + pa + "template=\"solo\"}");

            for (String env : SeedIncident.ENVIRONMENTS) {
                seed.promoteRelease(env, SeedIncident.FIX);
            }
            drift = get(s, "/api/v1/drift");
            for (JsonNode f : drift.path("findings")) {
                if (!f.path("template").asText().equals("solo")) {
                    assertThat(f.path("status").asText()).as(f.toString()).isEqualTo("current");
                }
            }
            metrics = s.http.get("/metrics", null).body();
            assertThat(metrics).contains("lockstep_pin_drift{" + pa + "status=\"stuck\",template=\"platform-agent\"} 0.0")
                    .contains("lockstep_pin_drift{" + pa + "status=\"current\",template=\"platform-agent\"} 1.0")
                    .contains("lockstep_pin_releases_behind{" + pa + "template=\"platform-agent\"} 0.0")
                    .contains("lockstep_pin_age_seconds{" + pa + "template=\"platform-agent\"} 0.0");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void driftNeedsReadScopeAndAKnownEnvironment(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir))) {
            assertThat(s.http.get("/api/v1/drift", null).status()).isEqualTo(401);
            Http.Response reporter = s.http.get("/api/v1/drift", TestConfig.REPORTER);
            assertThat(reporter.status()).isEqualTo(403);
            assertThat(reporter.code()).isEqualTo("FORBIDDEN");
            Http.Response unknown = s.http.get("/api/v1/drift?environment=qa", TestConfig.READER);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().path("error").asText()).contains("staging, prod");
            assertThat(s.http.get("/api/v1/drift?environment=Bad%20Name", TestConfig.READER).status()).isEqualTo(400);
            Http.Response empty = s.http.get("/api/v1/drift", TestConfig.READER);
            assertThat(empty.status()).isEqualTo(200);
            assertThat(empty.json().path("counts").path("missing").asInt()).isEqualTo(12);
        }
    }

    static JsonNode get(TestServer s, String path) {
        Http.Response r = s.http.get(path, TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static JsonNode finding(JsonNode report, String env, String template) {
        for (JsonNode f : report.path("findings")) {
            if (f.path("environment").asText().equals(env) && f.path("template").asText().equals(template)
                    && f.path("region").asText().equals("global")) {
                return f;
            }
        }
        throw new AssertionError("no finding for " + env + "/" + template + " in " + report);
    }

    private static List<String> environmentsOf(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("findings").forEach(f -> out.add(f.path("environment").asText()));
        return out;
    }
}
