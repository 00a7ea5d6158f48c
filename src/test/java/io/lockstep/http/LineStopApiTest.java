package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop the line and break-glass over HTTP on both stores: a stop refuses promotes with 409 LINE_STOPPED and
 * changes nothing; lifting it lets the same promote through; an override needs an admin token and is recorded
 * in the history and counted. Tests on the shared servers stop only their own group, so they cannot refuse
 * each other's promotes; whole-environment stops get their own server.
 */
class LineStopApiTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    @RegisterExtension
    static final PerStoreServers SERVERS = new PerStoreServers();
    @TempDir
    Path dir;

    private static String freezes(String env) {
        return "/api/v1/environments/" + env + "/freezes";
    }

    private static Http.Response nativePromote(TestServer s, String token, String template, String digest, Object... extra) {
        Object[] kv = new Object[extra.length + 2];
        kv[0] = "image_digest";
        kv[1] = digest;
        System.arraycopy(extra, 0, kv, 2, extra.length);
        return s.http.post("/api/v1/environments/prod/pins/" + template + "/promote", token, Json.obj(kv));
    }

    private static String digestOf(TestServer s, String template) {
        return Api.pin(s, "prod", template, null).path("image_digest").asText();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aGroupStopRefusesEveryPromoteOfTheGroupUntilItsSetterLiftsIt(StoreKind kind) {
        TestServer s = SERVERS.of(kind);
        String group = Unique.name("grp");
        String t = Api.newTemplate(s, group);
        String other = Api.newTemplate(s, Unique.name("grp"));
        String d1 = Unique.digest();
        s.clock.freezeAt(NOW);
        try {
            Api.promoteOk(s, t, d1);
            Http.Response release = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group,
                    "runtime_version", "1.0.0", "images", Map.of(t, Unique.digest())));
            assertThat(release.status()).as(release.body()).isEqualTo(201);

            Http.Response stop = s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "incident 4711",
                    "group", group, "for", "4h"));
            assertThat(stop.status()).as(stop.body()).isEqualTo(201);
            String id = stop.json().path("id").asText();
            assertThat(stop.json().path("stopped_by").asText()).isEqualTo("ci");
            assertThat(stop.json().path("until").asText()).isEqualTo("2026-12-02T16:00:00Z");

            long rows = Api.historyRows(s);
            String d2 = Unique.digest();
            assertStopped(nativePromote(s, TestConfig.CI, t, d2), group, 14_401);
            assertStopped(Api.promote(s, t, d2), group, 14_401);
            assertStopped(s.http.post("/api/v1/environments/prod/releases/" + release.json().path("id").asText()
                    + "/promote", TestConfig.CI, Json.obj()), group, 14_401);
            assertThat(digestOf(s, t)).isEqualTo(d1);
            assertThat(Api.historyRows(s)).isEqualTo(rows);

            // another group, and another environment, are not stopped
            assertThat(nativePromote(s, TestConfig.CI, other, Unique.digest()).status()).isIn(200, 201);
            assertThat(s.http.post("/api/v1/environments/staging/pins/" + t + "/promote", TestConfig.CI,
                    Json.obj("image_digest", d2)).status()).isIn(200, 201);

            JsonNode listed = s.http.get(freezes("prod"), TestConfig.READER).json().path("freezes");
            assertThat(listed.findValuesAsText("id")).contains(id);

            // only the one who set it (or an admin) may lift it
            assertError(s.http.delete(freezes("prod") + "/" + id, TestConfig.PROD_ONLY), 403, "FORBIDDEN");
            assertStopped(nativePromote(s, TestConfig.CI, t, d2), group, 14_401);

            Http.Response lifted = s.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.url()
                            + freezes("prod") + "/" + id)).header("Content-Type", "application/json")
                    .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\":\"fixed\"}")),
                    TestConfig.CI);
            assertThat(lifted.status()).as(lifted.body()).isEqualTo(200);
            assertThat(lifted.json().path("lifted_by").asText()).isEqualTo("ci");
            assertThat(lifted.json().path("active").asBoolean()).isFalse();
            assertThat(nativePromote(s, TestConfig.CI, t, d2).status()).isEqualTo(200);
            assertThat(digestOf(s, t)).isEqualTo(d2);

            // lifted stops stay on record
            assertThat(s.http.get(freezes("prod"), TestConfig.READER).json().path("freezes").findValuesAsText("id"))
                    .doesNotContain(id);
            JsonNode all = s.http.get(freezes("prod") + "?all=true", TestConfig.READER).json().path("freezes");
            assertThat(all.findValuesAsText("lift_reason")).contains("fixed");
            assertError(s.http.delete(freezes("prod") + "/" + id, TestConfig.CI), 404, "UNKNOWN_FREEZE");
        } finally {
            s.clock.freezeAt(null);
        }
    }

    private static void assertStopped(Http.Response r, String group, long retryAfter) {
        assertError(r, 409, "LINE_STOPPED");
        assertThat(r.json().path("retryable").booleanValue()).isTrue();
        assertThat(r.json().path("error").asText()).as(r.body()).startsWith("prod (group " + group
                + ") is stopped by ci (incident 4711) until 2026-12-02T16:00:00Z").contains("lockstep unfreeze");
        assertThat(r.json().path("retry_after_seconds").asLong()).isEqualTo(retryAfter);
        assertThat(r.raw().headers().firstValue("Retry-After")).hasValue(Long.toString(retryAfter));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anOpenEndedStopHasNoRetryAfterAndARollbackStillGoesThrough(StoreKind kind) {
        TestServer s = SERVERS.of(kind);
        String group = Unique.name("grp");
        String t = Api.newTemplate(s, group);
        String d1 = Unique.digest();
        Api.promoteOk(s, t, d1);
        Api.promoteOk(s, t, Unique.digest());
        String id = s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "bad release", "group", group))
                .json().path("id").asText();
        try {
            Http.Response r = nativePromote(s, TestConfig.CI, t, Unique.digest());
            assertError(r, 409, "LINE_STOPPED");
            assertThat(r.json().path("error").asText()).contains("until it is lifted");
            assertThat(r.json().has("retry_after_seconds")).isFalse();
            assertThat(r.raw().headers().firstValue("Retry-After")).isEmpty();

            Http.Response back = s.http.post("/api/v1/environments/prod/pins/" + t + "/rollback", TestConfig.CI,
                    Json.obj("notes", "the new one crashes"));
            assertThat(back.status()).as(back.body()).isEqualTo(200);
            assertThat(digestOf(s, t)).isEqualTo(d1);
        } finally {
            assertThat(s.http.delete(freezes("prod") + "/" + id, TestConfig.ADMIN).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anOverrideNeedsAnAdminAndIsRecordedAndCounted(StoreKind kind) {
        TestServer s = SERVERS.of(kind);
        String group = Unique.name("grp");
        String t = Api.newTemplate(s, group);
        String d1 = Unique.digest();
        Api.promoteOk(s, t, d1);
        String id = s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "incident 4711", "group", group))
                .json().path("id").asText();
        try {
            long rows = Api.historyRows(s);
            String d2 = Unique.digest();
            Map<String, Object> override = Map.of("reason", "hotfix for incident 4711");
            assertError(nativePromote(s, TestConfig.CI, t, d2, "override", override), 403, "FORBIDDEN");
            assertError(Api.promote(s, t, d2, "override", override), 403, "FORBIDDEN");
            assertError(nativePromote(s, TestConfig.ADMIN, t, d2, "override", Map.of("reason", " ")), 400, "MISSING_FIELD");
            assertError(nativePromote(s, TestConfig.ADMIN, t, d2, "override", Map.of("why", "x")), 400, "UNKNOWN_FIELD");
            assertThat(digestOf(s, t)).isEqualTo(d1);
            assertThat(Api.historyRows(s)).isEqualTo(rows);

            double before = overrides(s);
            Http.Response ok = nativePromote(s, TestConfig.ADMIN, t, d2, "override", override);
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(digestOf(s, t)).isEqualTo(d2);
            JsonNode entry = Api.history(s, "prod", t, null).get(0);
            assertThat(entry.path("override").path("reason").asText()).isEqualTo("hotfix for incident 4711");
            assertThat(entry.path("override").path("overrode").toString()).isEqualTo("[\"LINE_STOPPED\"]");
            assertThat(overrides(s)).isEqualTo(before + 1);

            // a fence is not a policy: the override does not pass it
            Http.Response fence = s.http.post("/api/v1/environments/staging/fences", TestConfig.ADMIN,
                    Json.obj("reason", "deploying", "ttl_seconds", 60));
            try {
                assertError(s.http.post("/api/v1/environments/staging/pins/" + t + "/promote", TestConfig.ADMIN,
                        Json.obj("image_digest", Unique.digest(), "override", override)), 409, "FENCED");
            } finally {
                s.http.delete("/api/v1/environments/staging/fences/" + fence.json().path("id").asText(), TestConfig.ADMIN);
            }

            // an override with nothing to override is recorded, not counted
            s.http.delete(freezes("prod") + "/" + id, TestConfig.ADMIN);
            double after = overrides(s);
            assertThat(nativePromote(s, TestConfig.ADMIN, t, Unique.digest(), "override", override).status()).isEqualTo(200);
            JsonNode idle = Api.history(s, "prod", t, null).get(0);
            assertThat(idle.path("override").path("overrode").toString()).isEqualTo("[]");
            assertThat(overrides(s)).isEqualTo(after);
            assertThat(Api.historyRows(s)).isEqualTo(rows + 2); // historyRows also verifies the chain
        } finally {
            s.http.delete(freezes("prod") + "/" + id, TestConfig.ADMIN);
        }
    }

    /** A release promote and a rollback take the override too; each entry of the release records it. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReleasePromoteAndARollbackTakeTheOverride(StoreKind kind) {
        TestServer s = SERVERS.of(kind);
        String group = Unique.name("grp");
        String a = Api.newTemplate(s, group);
        String b = Api.newTemplate(s, group);
        Api.promoteOk(s, a, Unique.digest());
        String release = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group, "runtime_version", "2.0.0",
                "images", Map.of(a, Unique.digest(), b, Unique.digest()))).json().path("id").asText();
        String id = s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "incident 4711", "group", group))
                .json().path("id").asText();
        try {
            Map<String, Object> override = Map.of("reason", "ship the fix");
            String path = "/api/v1/environments/prod/releases/" + release + "/promote";
            long rows = Api.historyRows(s);
            assertError(s.http.post(path, TestConfig.CI, Json.obj("override", override)), 403, "FORBIDDEN");
            assertError(s.http.post(path, TestConfig.ADMIN, Json.obj()), 409, "LINE_STOPPED");
            assertThat(Api.historyRows(s)).isEqualTo(rows);
            Http.Response ok = s.http.post(path, TestConfig.ADMIN, Json.obj("override", override));
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            for (String t : new String[]{a, b}) {
                JsonNode entry = Api.history(s, "prod", t, null).get(0);
                assertThat(entry.path("release_id").asText()).isEqualTo(release);
                assertThat(entry.path("override").path("overrode").toString()).isEqualTo("[\"LINE_STOPPED\"]");
            }
            // a rollback passes a stop anyway: its override is recorded, but overrode nothing
            Http.Response back = s.http.post("/api/v1/environments/prod/pins/" + a + "/rollback", TestConfig.ADMIN,
                    Json.obj("override", override));
            assertThat(back.status()).as(back.body()).isEqualTo(200);
            JsonNode entry = Api.history(s, "prod", a, null).get(0);
            assertThat(entry.path("action").asText()).isEqualTo("rollback");
            assertThat(entry.path("override").path("reason").asText()).isEqualTo("ship the fix");
            assertThat(entry.path("override").path("overrode").toString()).isEqualTo("[]");
            assertError(s.http.post("/api/v1/environments/prod/pins/" + a + "/rollback", TestConfig.CI,
                    Json.obj("override", override)), 403, "FORBIDDEN");
        } finally {
            s.http.delete(freezes("prod") + "/" + id, TestConfig.ADMIN);
        }
    }

    private static double overrides(TestServer s) {
        String metrics = s.http.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^lockstep_gate_overrides_total\\{environment=\"prod\"} (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void badFreezesAreRefusedPrecisely(StoreKind kind) {
        TestServer s = SERVERS.of(kind);
        String group = Unique.name("grp");
        Api.newTemplate(s, group);
        assertError(s.http.post(freezes("prod"), TestConfig.CI, Json.obj("group", group)), 400, "INVALID_FREEZE");
        assertError(s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "x", "group", "no-such-group")),
                400, "INVALID_FREEZE");
        assertError(s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "x", "group", group,
                "until", "2000-01-01T00:00:00Z")), 400, "INVALID_FREEZE");
        assertError(s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "x", "group", group,
                "until", "tomorrow")), 400, "INVALID_FREEZE");
        assertError(s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "x", "group", group,
                "for", "4 hours")), 400, "INVALID_FREEZE");
        assertError(s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "x", "group", group,
                "for", "4h", "until", "2099-01-01T00:00:00Z")), 400, "CONFLICTING_FIELDS");
        assertError(s.http.post(freezes("prod"), TestConfig.CI, Json.obj("reason", "x", "scope", "all")), 400, "UNKNOWN_FIELD");
        assertError(s.http.post(freezes("prod"), TestConfig.READER, Json.obj("reason", "x", "group", group)), 403, "FORBIDDEN");
        assertError(s.http.post(freezes("nowhere"), TestConfig.CI, Json.obj("reason", "x")), 404, "UNKNOWN_ENVIRONMENT");
        assertError(s.http.delete(freezes("prod") + "/nope", TestConfig.ADMIN), 404, "UNKNOWN_FREEZE");
        assertError(s.http.get(freezes("prod") + "?all=yes", TestConfig.READER), 400, "INVALID_PARAMETER");
        assertThat(s.http.get(freezes("prod") + "?all=true", TestConfig.READER).json().path("freezes")
                .findValuesAsText("group")).doesNotContain(group);
    }

    /** A whole-environment stop outlives the server: a new server on the same data refuses the same way. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStopSurvivesARestart(StoreKind kind) {
        var db = kind.create(dir);
        String t;
        String id;
        String d1 = Unique.digest();
        try (TestServer s = new TestServer(db)) {
            t = Api.newTemplate(s);
            Api.promoteOk(s, t, d1);
            Http.Response stop = s.http.post(freezes("prod"), TestConfig.ADMIN, Json.obj("reason", "incident 4711"));
            assertThat(stop.status()).as(stop.body()).isEqualTo(201);
            id = stop.json().path("id").asText();
            assertError(nativePromote(s, TestConfig.CI, t, Unique.digest()), 409, "LINE_STOPPED");
        }
        try (TestServer s = new TestServer(db)) {
            Http.Response r = nativePromote(s, TestConfig.CI, t, Unique.digest());
            assertError(r, 409, "LINE_STOPPED");
            assertThat(r.json().path("freeze_id").asText()).isEqualTo(id);
            assertThat(r.json().path("error").asText()).startsWith("prod is stopped by admin (incident 4711) until it is lifted");
            assertThat(digestOf(s, t)).isEqualTo(d1);
            String metrics = s.http.get("/metrics", null).body();
            assertThat(metrics).contains("lockstep_line_stops_active{environment=\"prod\"} 1.0")
                    .contains("lockstep_line_stops_active{environment=\"staging\"} 0.0");
            assertThat(s.http.delete(freezes("prod") + "/" + id, TestConfig.ADMIN).status()).isEqualTo(200);
            assertThat(nativePromote(s, TestConfig.CI, t, Unique.digest()).status()).isEqualTo(200);
            assertThat(s.http.get("/metrics", null).body()).contains("lockstep_line_stops_active{environment=\"prod\"} 0.0");
        }
    }
}
