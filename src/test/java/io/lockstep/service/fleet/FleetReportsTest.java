package io.lockstep.service.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.lockstep.service.fleet.SeedIncident.FIX;
import static io.lockstep.service.fleet.SeedIncident.OLD;
import static io.lockstep.service.fleet.SeedIncident.digest;
import static io.lockstep.service.fleet.SeedIncident.report;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/fleet/reports and GET /api/v1/fleet/convergence on a real server, both stores. */
class FleetReportsTest {
    private static final String AGENT_OLD = digest("platform-agent", OLD);
    private static final String AGENT_FIX = digest("platform-agent", FIX);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyKindOfBadReportRejectsTheWholeBatchNamingTheIndex(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir))) {
            Instant now = Instant.parse("2026-06-13T08:00:00Z");
            s.clock.freezeAt(now);
            String good = report("concierge-ok", "prod", "platform", AGENT_OLD, now);

            assertRejected(s, batch(good, report("c-1", "prod", "platform", "sha256:abc", now)), 400, "INVALID_REPORT",
                    "reports[1].digest must be sha256:");
            assertRejected(s, batch(good, report("c-1", "prod", "platform", AGENT_OLD.toUpperCase(), now)), 400,
                    "INVALID_REPORT", "reports[1].digest");
            assertRejected(s, batch(good, good.replace("\"kind\":\"platform\"", "\"template\":\"nope\"")
                    .replace("concierge-ok", "c-2")), 422, "UNKNOWN_TEMPLATE", "reports[1].template names no template");
            assertRejected(s, batch(good, report("c-1", "prod", "batch-job", AGENT_OLD, now)), 422, "UNKNOWN_KIND",
                    "reports[1].kind");
            assertRejected(s, batch(good, report("c-1", "qa", "platform", AGENT_OLD, now)), 422, "UNKNOWN_ENVIRONMENT",
                    "reports[1].environment");
            assertRejected(s, batch(good, report("c 1; drop", "prod", "platform", AGENT_OLD, now)), 400,
                    "INVALID_REPORT", "reports[1].instance_id");
            assertRejected(s, batch(good, report("x".repeat(201), "prod", "platform", AGENT_OLD, now)), 400,
                    "INVALID_REPORT", "reports[1].instance_id");
            assertRejected(s, batch(good, report("c-1", "prod", "platform", AGENT_OLD, now.plus(Duration.ofMinutes(3)))),
                    400, "INVALID_REPORT", "reports[1].observed_at is 2026-06-13T08:03:00Z, in the future beyond the allowed clock skew of 120s");
            assertRejected(s, batch(good, good.replace("2026-06-13T08:00:00Z", "yesterday")), 400, "INVALID_REPORT",
                    "reports[1].observed_at must be an RFC 3339 time");
            assertRejected(s, batch(good, good.replace("\"region\":\"global\"", "\"region\":\"EU West\"")), 400,
                    "INVALID_REPORT", "reports[1].region");
            assertRejected(s, batch(good, good.replace("\"kind\":\"platform\"", "\"kind\":\"platform\",\"template\":\"claude-code\"")),
                    400, "INVALID_REPORT", "reports[1].kind is served by template platform-agent, not claude-code");
            assertRejected(s, batch(good, good.replace("\"digest\"", "\"image\"")), 400, "INVALID_REPORT",
                    "reports[1].image is not a report field");
            assertRejected(s, batch(good, "42"), 400, "INVALID_REPORT", "reports[1] must be an object");
            assertRejected(s, "{\"reports\":[" + good + "],\"extra\":1}", 400, "UNKNOWN_FIELD", "extra");

            // exactly at the skew allowance is accepted; the limit is inclusive
            Http.Response edge = s.http.post("/api/v1/fleet/reports", TestConfig.REPORTER,
                    batch(report("c-edge", "prod", "platform", AGENT_OLD, now.plus(Duration.ofMinutes(2)))));
            assertThat(edge.status()).as(edge.body()).isEqualTo(200);
            assertThat(s.server.fleet().storedInstances()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void batchLimitAuthAndEnvironmentRestrictionAreEnforced(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir))) {
            Instant now = s.clock.instant();
            // 5,000 reports is more than a megabyte of JSON and must still be accepted in one batch
            String full = SeedIncident.reportsAt("prod", "platform", "concierge-with-a-long-instance-name", 5_000, AGENT_OLD, now);
            assertThat(full.length()).isGreaterThan(1024 * 1024);
            Http.Response ok = s.http.post("/api/v1/fleet/reports", TestConfig.REPORTER, full);
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(ok.json().path("instances").asInt()).isEqualTo(5_000);

            String over = SeedIncident.reportsAt("prod", "platform", "other", 5_001, AGENT_OLD, now);
            assertRejected(s, over, 413, "BATCH_TOO_LARGE", "at most 5000 reports; got 5001");
            assertThat(s.server.fleet().storedInstances()).isEqualTo(5_000);

            String one = batch(report("c-1", "prod", "platform", AGENT_OLD, now));
            assertThat(s.http.post("/api/v1/fleet/reports", null, one).status()).isEqualTo(401);
            assertThat(s.http.post("/api/v1/fleet/reports", TestConfig.READER, one).status()).isEqualTo(403);
            assertThat(s.http.post("/api/v1/fleet/reports", TestConfig.CI, one).status()).isEqualTo(403);
            assertThat(s.http.post("/api/v1/fleet/reports", TestConfig.ADMIN, one).status()).isEqualTo(200);
            assertThat(s.http.get("/api/v1/fleet/convergence", TestConfig.REPORTER).status()).isEqualTo(403);

            // the environment restriction: a token limited to staging reports for staging only, and one
            // prod report in its batch refuses the whole batch
            long before = s.server.fleet().storedInstances();
            Http.Response refused = s.http.post("/api/v1/fleet/reports", TestConfig.STAGING_REPORTER, one);
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("FORBIDDEN");
            assertThat(refused.json().path("error").asText())
                    .contains("reports[0]: token staging-only-reporter may not report for environment prod; nothing was stored");
            String mixed = batch(report("s-1", "staging", "platform", AGENT_OLD, now), report("s-2", "prod", "platform", AGENT_OLD, now));
            Http.Response mixedRefused = s.http.post("/api/v1/fleet/reports", TestConfig.STAGING_REPORTER, mixed);
            assertThat(mixedRefused.status()).as(mixedRefused.body()).isEqualTo(403);
            assertThat(mixedRefused.json().path("index").asInt()).isEqualTo(1);
            assertThat(s.server.fleet().storedInstances()).as("nothing of a refused batch is stored").isEqualTo(before);
            Http.Response staging = s.http.post("/api/v1/fleet/reports", TestConfig.STAGING_REPORTER,
                    batch(report("s-1", "staging", "platform", AGENT_OLD, now)));
            assertThat(staging.status()).as(staging.body()).isEqualTo(200);
            assertThat(s.server.fleet().storedInstances()).isEqualTo(before + 1);
            // and it reads no convergence at all (report scope only), a staging reader no prod convergence
            assertThat(s.http.get("/api/v1/fleet/convergence?environment=staging", TestConfig.STAGING_REPORTER).status())
                    .isEqualTo(403);
            assertThat(s.http.get("/api/v1/fleet/convergence?environment=prod", TestConfig.STAGING_READER).status())
                    .isEqualTo(403);
        }
    }

    /** Issue 9 item 4: an instance id names an instance within its environment, never across environments. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTokenLimitedToStagingCannotMoveOrHideAProdInstance(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir))) {
            Instant now = s.clock.instant();
            post(s, TestConfig.REPORTER, batch(report("concierge-7", "prod", "platform", AGENT_OLD, now)));
            // the same id, reported later under staging by a staging-only token
            s.clock.advance(Duration.ofSeconds(5));
            post(s, TestConfig.STAGING_REPORTER, batch(report("concierge-7", "staging", "platform", AGENT_FIX,
                    s.clock.instant())));

            JsonNode prod = convergenceAs(s, TestConfig.READER, "/api/v1/fleet/convergence?environment=prod&template=platform-agent");
            assertThat(instancesOf(prod, "prod")).as("prod still sees its instance, on its own digest").isEqualTo(1);
            assertThat(prod.toString()).contains(AGENT_OLD).doesNotContain(AGENT_FIX);
            JsonNode staging = convergenceAs(s, TestConfig.READER, "/api/v1/fleet/convergence?environment=staging&template=platform-agent");
            assertThat(instancesOf(staging, "staging")).isEqualTo(1);
            assertThat(s.server.fleet().storedInstances()).isEqualTo(2);

            // the prod instance's own later report still updates its prod row
            s.clock.advance(Duration.ofSeconds(5));
            post(s, TestConfig.REPORTER, batch(report("concierge-7", "prod", "platform", AGENT_FIX, s.clock.instant())));
            prod = convergenceAs(s, TestConfig.READER, "/api/v1/fleet/convergence?environment=prod&template=platform-agent");
            assertThat(instancesOf(prod, "prod")).isEqualTo(1);
            assertThat(s.server.fleet().storedInstances()).isEqualTo(2);
        }
    }

    /** V4 re-keys fleet_instances by (environment, instance_id) and keeps the rows stored before it. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void instancesStoredBeforeTheV4MigrationSurviveIt(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        org.flywaydb.core.Flyway.configure().dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration/common").target("2").load().migrate();
        Instant at = Instant.now().minusSeconds(10);
        TestDatabases.execute(db, "INSERT INTO fleet_instances (instance_id, environment, template, region, digest,"
                + " observed_at, received_at) VALUES ('old-1', 'prod', 'platform-agent', 'global', '" + AGENT_OLD + "', "
                + at.toEpochMilli() + ", " + at.toEpochMilli() + ")");
        try (TestServer s = new TestServer(db)) {
            assertThat(s.server.fleet().storedInstances()).isEqualTo(1);
            post(s, TestConfig.STAGING_REPORTER, batch(report("old-1", "staging", "platform", AGENT_FIX, s.clock.instant())));
            assertThat(s.server.fleet().storedInstances()).isEqualTo(2);
            JsonNode prod = convergenceAs(s, TestConfig.READER, "/api/v1/fleet/convergence?environment=prod&template=platform-agent");
            assertThat(instancesOf(prod, "prod")).isEqualTo(1);
        }
    }

    private static void post(TestServer s, String token, String body) {
        Http.Response r = s.http.post("/api/v1/fleet/reports", token, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode convergenceAs(TestServer s, String token, String path) {
        Http.Response r = s.http.get(path, token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static long instancesOf(JsonNode answer, String environment) {
        long n = 0;
        for (JsonNode p : answer.path("pins")) {
            if (p.path("environment").asText().equals(environment)) {
                n += p.path("instances").asLong();
            }
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void convergenceGroupsStaleInstancesByDigestAndForgetsInstancesPastTheTtl(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir))) {
            SeedIncident seed = new SeedIncident(s).replay();
            seed.send(seed.reports("prod", "platform", "concierge", 40, AGENT_OLD));
            seed.send(seed.reports("prod", "workspace", "workspace", 10, digest("claude-code", FIX)));

            JsonNode prod = convergence(s, "/api/v1/fleet/convergence?environment=prod");
            JsonNode agent = row(prod, "platform-agent");
            assertThat(agent.path("pinned_digest").asText()).isEqualTo(AGENT_OLD);
            assertThat(agent.path("instances").asLong()).isEqualTo(40);
            assertThat(agent.path("converged").asLong()).isEqualTo(40);
            JsonNode claude = row(prod, "claude-code");
            assertThat(claude.path("converged_ratio").asDouble()).isEqualTo(1.0);
            assertThat(claude.path("last_promoted_at").asText()).isEqualTo(SeedIncident.fixRegisteredAt().toString());
            assertThat(row(prod, "hermes").path("instances").asLong()).isZero();
            assertThat(row(prod, "hermes").path("converged_ratio").isNull()).isTrue();

            // the whole release goes out; the concierges have not been redeployed yet
            seed.promoteRelease("prod", FIX);
            agent = row(convergence(s, "/api/v1/fleet/convergence?environment=prod&template=platform-agent"), "platform-agent");
            assertThat(agent.path("pinned_digest").asText()).isEqualTo(AGENT_FIX);
            assertThat(agent.path("converged").asLong()).isZero();
            assertThat(agent.path("stale_instances").asLong()).isEqualTo(40);
            assertThat(agent.path("converged_ratio").asDouble()).isEqualTo(0.0);
            JsonNode stale = agent.path("stale").get(0);
            assertThat(stale.path("digest").asText()).isEqualTo(AGENT_OLD);
            assertThat(stale.path("instances").asLong()).isEqualTo(40);
            assertThat(stale.path("sample_instance_ids")).hasSize(5);
            assertThat(stale.path("sample_instance_ids").get(0).asText()).startsWith("concierge-");

            // half redeploy; a report older than the stored one never rewinds an instance
            s.clock.advance(Duration.ofMinutes(1));
            seed.send(seed.reports("prod", "platform", "concierge", 20, AGENT_FIX));
            seed.send(SeedIncident.reportsAt("prod", "platform", "concierge", 1, AGENT_OLD,
                    s.clock.instant().minus(Duration.ofSeconds(30))));
            agent = row(convergence(s, "/api/v1/fleet/convergence?environment=prod"), "platform-agent");
            assertThat(agent.path("converged").asLong()).isEqualTo(20);
            assertThat(agent.path("stale_instances").asLong()).isEqualTo(20);

            // the 20 old concierges stop reporting; past the 10m TTL they no longer count
            s.clock.advance(Duration.ofMinutes(9));
            seed.send(seed.reports("prod", "platform", "concierge", 20, AGENT_FIX));
            s.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
            agent = row(convergence(s, "/api/v1/fleet/convergence?environment=prod"), "platform-agent");
            assertThat(agent.path("instances").asLong()).isEqualTo(20);
            assertThat(agent.path("converged_ratio").asDouble()).isEqualTo(1.0);
            assertThat(agent.path("stale")).isEmpty();
            assertThat(row(convergence(s, "/api/v1/fleet/convergence?environment=prod"), "claude-code")
                    .path("instances").asLong()).isZero();

            assertThat(s.http.get("/api/v1/fleet/convergence?environment=qa", TestConfig.READER).status()).isEqualTo(404);
            assertThat(s.http.get("/api/v1/fleet/convergence?template=nope", TestConfig.READER).status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRegionWithoutItsOwnPinIsComparedWithTheGlobalPin(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir))) {
            SeedIncident seed = new SeedIncident(s).replay();
            seed.send(seed.reports("staging", "platform", "eu", 3, AGENT_OLD).replace("\"global\"", "\"eu-west\""));
            JsonNode eu = null;
            for (JsonNode r : convergence(s, "/api/v1/fleet/convergence?environment=staging&template=platform-agent").path("pins")) {
                if (r.path("region").asText().equals("eu-west")) {
                    eu = r;
                }
            }
            assertThat(eu).isNotNull();
            assertThat(eu.path("pin_region").asText()).isEqualTo("global");
            assertThat(eu.path("converged").asLong()).isEqualTo(3);
        }
    }

    private static void assertRejected(TestServer s, String body, int status, String code, String message) {
        long before = s.server.fleet().storedInstances();
        Http.Response r = s.http.post("/api/v1/fleet/reports", TestConfig.REPORTER, body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.json().path("error").asText()).contains(message);
        if (status != 413) {
            assertThat(r.json().path("error").asText()).contains("no report of this batch was stored");
        }
        assertThat(s.server.fleet().storedInstances()).as("nothing of a rejected batch is stored").isEqualTo(before);
    }

    private static String batch(String... reports) {
        return "{\"reports\":[" + String.join(",", reports) + "]}";
    }

    static JsonNode convergence(TestServer s, String path) {
        Http.Response r = s.http.get(path, TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static JsonNode row(JsonNode answer, String template) {
        List<JsonNode> rows = new ArrayList<>();
        answer.path("pins").forEach(p -> {
            if (p.path("template").asText().equals(template) && p.path("region").asText().equals("global")) {
                rows.add(p);
            }
        });
        assertThat(rows).as(answer.toString()).hasSize(1);
        return rows.get(0);
    }
}
