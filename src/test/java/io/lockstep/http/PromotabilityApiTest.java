package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET …/promotability} on both stores, against prod with {@code requires: {upstream: staging, soak: 1h}}
 * and a dated freeze window, on the server's adjustable clock: it answers what the promote answers (status,
 * code, retryable, retry_after_seconds, every refusal with the promote's own sentences) and changes nothing;
 * once the soak has passed it answers promotable, and inside the window frozen.
 */
class PromotabilityApiTest {
    private static final Instant T0 = Instant.parse("2027-12-01T12:00:00Z");
    /** Inside the year-end window, which ends 2027-12-27T00:00Z: six days and a second to wait. */
    private static final Instant FROZEN_AT = Instant.parse("2027-12-21T00:00:00Z");
    @TempDir
    static Path dir;
    private static final Map<StoreKind, TestServer> SERVERS = new EnumMap<>(StoreKind.class);

    private static synchronized TestServer server(StoreKind kind) {
        return SERVERS.computeIfAbsent(kind, k -> {
            var db = k.create(dir.resolve(k.name().toLowerCase()));
            return new TestServer(db, TestConfig.config(db, null, yaml -> yaml.replace("    upstream: staging\n",
                    "    upstream: staging\n    requires: {upstream: staging, soak: 1h}\n    freeze_windows:\n"
                            + "      - {name: year-end, start: \"2027-12-20T00:00:00Z\", end: \"2027-12-27T00:00:00Z\"}\n")));
        });
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    private static JsonNode ask(TestServer s, String query) {
        Http.Response r = s.http.get("/api/v1/environments/prod/promotability?" + query, TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The promotability answer is the promote's error, field by field, and lists the same refusals. */
    private static void assertSameAnswer(JsonNode answer, Http.Response promote) {
        assertThat(answer.path("promotable").asBoolean()).isFalse();
        assertThat(answer.path("status").asInt()).isEqualTo(promote.status());
        assertThat(answer.path("code").asText()).isEqualTo(promote.json().path("code").asText());
        assertThat(answer.path("retryable").asBoolean()).isEqualTo(promote.json().path("retryable").asBoolean());
        assertThat(answer.path("retry_after_seconds")).isEqualTo(promote.json().path("retry_after_seconds"));
        List<String> promoteMessages = new ArrayList<>();
        promoteMessages.add(promote.json().path("error").asText());
        promote.json().path("other_refusals").forEach(o -> promoteMessages.add(o.path("error").asText()));
        List<String> answerMessages = new ArrayList<>();
        answer.path("refusals").forEach(r -> answerMessages.add(r.path("message").asText()));
        assertThat(answerMessages).isEqualTo(promoteMessages);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void answersWhatThePromoteWouldSoakingThenPromotableThenFrozenAndChangesNothing(StoreKind kind) {
        TestServer s = server(kind);
        try {
            s.clock.freezeAt(T0);
            String group = Unique.name("grp");
            String t = Api.newTemplate(s, group);
            String d = Unique.digest();
            Http.Response reg = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group,
                    "runtime_version", "1.0.0", "git_sha", "19f3175", "images", Map.of(t, d)));
            assertThat(reg.status()).as(reg.body()).isEqualTo(201);
            String id = reg.json().path("id").asText();
            String release = "release=" + id;
            String pin = "template=" + t + "&digest=" + d;
            assertThat(s.http.post("/api/v1/environments/staging/releases/" + id + "/promote", TestConfig.CI, Json.obj())
                    .status()).isEqualTo(200);

            long rows = Api.historyRows(s);
            JsonNode soaking = ask(s, release);
            assertThat(soaking.path("status").asInt()).isEqualTo(409);
            assertThat(soaking.path("code").asText()).isEqualTo("SOAKING");
            assertThat(soaking.path("retryable").asBoolean()).isTrue();
            assertThat(soaking.path("retry_after_seconds").asLong()).isEqualTo(3600);
            assertThat(soaking.path("refusals").get(0).path("message").asText())
                    .contains("soaking in staging until 2027-12-01T13:00:00Z");
            assertSameAnswer(soaking, s.http.post("/api/v1/environments/prod/releases/" + id + "/promote", TestConfig.CI,
                    Json.obj()));
            assertSameAnswer(ask(s, pin), s.http.post("/api/v1/environments/prod/pins/" + t + "/promote", TestConfig.CI,
                    Json.obj("image_digest", d)));
            assertThat(Api.historyRows(s)).as("neither the questions nor the refused promotes wrote").isEqualTo(rows);
            assertThat(s.http.get("/api/v1/environments/prod/pins/" + t, TestConfig.READER).status()).isEqualTo(404);

            s.clock.freezeAt(T0.plusSeconds(3600));
            for (String q : List.of(release, pin)) {
                JsonNode ok = ask(s, q);
                assertThat(ok.path("promotable").asBoolean()).as(ok.toString()).isTrue();
                assertThat(ok.path("status").asInt()).isEqualTo(200);
                assertThat(ok.path("code").isNull()).isTrue();
                assertThat(ok.path("refusals")).isEmpty();
                assertThat(ok.has("retry_after_seconds")).isFalse();
            }
            assertThat(Api.historyRows(s)).isEqualTo(rows);

            s.clock.freezeAt(FROZEN_AT);
            JsonNode frozen = ask(s, release);
            assertThat(frozen.path("code").asText()).isEqualTo("FROZEN");
            assertThat(frozen.path("status").asInt()).isEqualTo(409);
            assertThat(frozen.path("retry_after_seconds").asLong()).isEqualTo(6 * 86_400 + 1);
            assertThat(frozen.path("refusals").get(0).path("details").path("window").asText()).isEqualTo("year-end");
            assertSameAnswer(frozen, s.http.post("/api/v1/environments/prod/releases/" + id + "/promote", TestConfig.CI,
                    Json.obj()));
            assertThat(Api.historyRows(s)).isEqualTo(rows);
            assertThat(s.http.get("/api/v1/environments/prod/pins/" + t, TestConfig.READER).status()).isEqualTo(404);
        } finally {
            s.clock.freezeAt(null);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyRefusalIsListedWithTheFirstDecidingTheAnswer(StoreKind kind) {
        TestServer s = server(kind);
        try {
            s.clock.freezeAt(FROZEN_AT.plusSeconds(60));
            String t = Api.newTemplate(s);
            // never in staging, and prod frozen: two refusals, NOT_IN_UPSTREAM (422) first
            JsonNode both = ask(s, "template=" + t + "&digest=" + Unique.digest());
            assertThat(both.path("status").asInt()).isEqualTo(422);
            assertThat(both.path("code").asText()).isEqualTo("NOT_IN_UPSTREAM");
            assertThat(both.path("retryable").asBoolean()).isFalse();
            assertThat(both.has("retry_after_seconds")).isFalse();
            assertThat(both.path("refusals").findValuesAsText("code")).containsExactly("NOT_IN_UPSTREAM", "FROZEN");
        } finally {
            s.clock.freezeAt(null);
        }
    }

    /** Drift asks the same question for a pin that is behind: soaking while the gate holds it, stuck once it would not. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void driftShowsAPinHeldBackBySoakAsSoakingUntilTheGateWouldLetItThrough(StoreKind kind) {
        TestServer s = server(kind);
        try {
            s.clock.freezeAt(Instant.parse("2027-11-01T12:00:00Z"));
            String group = Unique.name("grp");
            String t = Api.newTemplate(s, group);
            String r1 = register(s, group, "1.0.0", t);
            assertThat(s.http.post("/api/v1/environments/staging/releases/" + r1 + "/promote", TestConfig.CI, Json.obj())
                    .status()).isEqualTo(200);
            s.clock.freezeAt(Instant.parse("2027-11-01T14:00:00Z"));
            assertThat(s.http.post("/api/v1/environments/prod/releases/" + r1 + "/promote", TestConfig.CI, Json.obj())
                    .status()).isEqualTo(200);
            String r2 = register(s, group, "1.1.0", t);
            assertThat(s.http.post("/api/v1/environments/staging/releases/" + r2 + "/promote", TestConfig.CI, Json.obj())
                    .status()).isEqualTo(200);

            s.clock.freezeAt(Instant.parse("2027-11-01T14:59:00Z")); // past the grace period, inside the soak
            JsonNode soaking = finding(
                    s.http.get("/api/v1/drift?environment=prod", TestConfig.READER).json(), "prod", t);
            assertThat(soaking.path("status").asText()).as(soaking.toString()).isEqualTo("soaking");
            assertThat(soaking.path("explanation").asText()).contains("soaking in staging until 2027-11-01T15:00:00Z");

            s.clock.freezeAt(Instant.parse("2027-11-01T15:00:00Z"));
            JsonNode stuck = finding(
                    s.http.get("/api/v1/drift?environment=prod", TestConfig.READER).json(), "prod", t);
            assertThat(stuck.path("status").asText()).as(stuck.toString()).isEqualTo("stuck");
        } finally {
            s.clock.freezeAt(null);
        }
    }

    private static JsonNode finding(JsonNode report, String env, String template) {
        for (JsonNode f : report.path("findings")) {
            if (f.path("environment").asText().equals(env) && f.path("template").asText().equals(template)) {
                return f;
            }
        }
        throw new AssertionError("no finding for " + env + "/" + template + " in " + report);
    }

    private static String register(TestServer s, String group, String version, String template) {
        Http.Response reg = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group,
                "runtime_version", version, "git_sha", "19f3175", "images", Map.of(template, Unique.digest())));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        return reg.json().path("id").asText();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void badQuestionsArePrecise4xx(StoreKind kind) {
        TestServer s = server(kind);
        String t = Api.newTemplate(s);
        String base = "/api/v1/environments/prod/promotability";
        assertError(s.http.get(base, TestConfig.READER), 400, "INVALID_PARAMETER");
        assertError(s.http.get(base + "?release=x&template=" + t + "&digest=" + Unique.digest(), TestConfig.READER),
                400, "INVALID_PARAMETER");
        assertError(s.http.get(base + "?template=" + t, TestConfig.READER), 400, "INVALID_PARAMETER");
        assertError(s.http.get(base + "?release=no-such-release", TestConfig.READER), 404, "UNKNOWN_RELEASE");
        assertError(s.http.get(base + "?template=" + t + "&digest=sha256:nope", TestConfig.READER), 400, "INVALID_DIGEST");
        assertError(s.http.get(base + "?template=no-such-tpl&digest=" + Unique.digest(), TestConfig.READER), 422,
                "UNKNOWN_TEMPLATE");
        assertError(s.http.get("/api/v1/environments/nowhere/promotability?template=" + t + "&digest=" + Unique.digest(),
                TestConfig.READER), 404, "UNKNOWN_ENVIRONMENT");
        assertError(s.http.get(base + "?template=" + t + "&digest=" + Unique.digest(), TestConfig.STAGING_READER), 403,
                "FORBIDDEN");
    }
}
