package io.lockstep.http;

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
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 {@code requires: {upstream: staging, soak: 1h}} on prod, on both stores, through every entry
 * point (native promote, seed promote, release promote): refused with the right answer and nothing
 * written, then the same write passes once the soak has passed on the server's adjustable clock. A
 * rollback is not held by the soak. Each test owns fresh templates (the clock only moves forward).
 */
class SoakRequirementTest {
    private static final Duration SOAK = Duration.ofHours(1);
    @TempDir
    static Path dir;
    private static final Map<StoreKind, TestServer> SERVERS = new EnumMap<>(StoreKind.class);

    private static synchronized TestServer server(StoreKind kind) {
        return SERVERS.computeIfAbsent(kind, k -> {
            var db = k.create(dir.resolve(k.name().toLowerCase()));
            return new TestServer(db, TestConfig.config(db, null, yaml -> yaml.replace("    upstream: staging\n",
                    "    upstream: staging\n    requires: {upstream: staging, soak: 1h}\n")));
        });
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    private static Http.Response nativePromote(TestServer s, String env, String template, String digest) {
        return s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.CI,
                Json.obj("image_digest", digest));
    }

    private static Http.Response seedPromote(TestServer s, String template, String digest) {
        return s.http.post("/cp/admin/runtime-image/promote", TestConfig.CI,
                Json.obj("template_name", template, "image_digest", digest, "environment", "prod"));
    }

    private static void ok(Http.Response r) {
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    private static int prodPinStatus(TestServer s, String template) {
        return s.http.get("/api/v1/environments/prod/pins/" + template, TestConfig.READER).status();
    }

    private static void assertSoaking(Http.Response r, long retryAfterAtMost) {
        assertError(r, 409, "SOAKING");
        assertThat(r.json().path("retryable").asBoolean()).isTrue();
        assertThat(r.json().path("error").asText()).contains("soaking in staging until ");
        long retry = r.json().path("retry_after_seconds").asLong();
        assertThat(retry).isBetween(1L, retryAfterAtMost);
        assertThat(r.raw().headers().firstValue("Retry-After")).hasValue(Long.toString(retry));
    }

    private static void assertNotInUpstream(Http.Response r) {
        assertError(r, 422, "NOT_IN_UPSTREAM");
        assertThat(r.json().path("retryable").asBoolean()).isFalse();
        assertThat(r.json().path("error").asText()).contains("staging").contains("promote it to staging first");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void singlePinPromotesWaitForTheSoakOnBothEndpoints(StoreKind kind) {
        TestServer s = server(kind);
        String nat = Api.newTemplate(s);
        String seed = Api.newTemplate(s);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        long rows = Api.historyRows(s);

        assertNotInUpstream(nativePromote(s, "prod", nat, d1));
        assertNotInUpstream(seedPromote(s, seed, d2));
        assertThat(Api.historyRows(s)).as("nothing written").isEqualTo(rows);

        ok(nativePromote(s, "staging", nat, d1));
        ok(nativePromote(s, "staging", seed, d2));
        rows = Api.historyRows(s);
        assertSoaking(nativePromote(s, "prod", nat, d1), SOAK.toSeconds());
        assertSoaking(seedPromote(s, seed, d2), SOAK.toSeconds());
        assertThat(prodPinStatus(s, nat)).as("no pin written").isEqualTo(404);
        assertThat(prodPinStatus(s, seed)).as("no pin written").isEqualTo(404);
        assertThat(Api.historyRows(s)).as("no history written").isEqualTo(rows);

        s.clock.advance(SOAK.plusSeconds(1));
        ok(nativePromote(s, "prod", nat, d1));
        ok(seedPromote(s, seed, d2));
        assertThat(Api.pin(s, "prod", nat, null).path("image_digest").asText()).isEqualTo(d1);
        assertThat(Api.pin(s, "prod", seed, null).path("image_digest").asText()).isEqualTo(d2);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void movingAwayUpstreamAndBackRestartsTheSoakButARollbackIsNeverHeld(StoreKind kind) {
        TestServer s = server(kind);
        String t = Api.newTemplate(s);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        ok(nativePromote(s, "staging", t, d1));
        s.clock.advance(SOAK.plusSeconds(1));
        ok(nativePromote(s, "prod", t, d1));
        ok(nativePromote(s, "staging", t, d2));
        s.clock.advance(SOAK.plusSeconds(1));
        ok(nativePromote(s, "prod", t, d2));

        // staging moves to d1 again: it soaked long ago, but what staging tested last was d2
        ok(nativePromote(s, "staging", t, d1));
        assertSoaking(nativePromote(s, "prod", t, d1), SOAK.toSeconds());
        Http.Response back = s.http.post("/api/v1/environments/prod/pins/" + t + "/rollback", TestConfig.CI,
                Json.obj("to_digest", d1));
        ok(back);
        assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReleasePromoteWaitsForEveryMemberToSoak(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        List<String> members = List.of(Api.newTemplate(s, group), Api.newTemplate(s, group));
        Map<String, String> images = new LinkedHashMap<>();
        members.forEach(m -> images.put(m, Unique.digest()));
        Http.Response reg = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group,
                "runtime_version", "1.0.0", "git_sha", "19f3175", "images", images));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        String id = reg.json().path("id").asText();
        String promotePath = "/api/v1/environments/%s/releases/" + id + "/promote";

        long rows = Api.historyRows(s);
        assertNotInUpstream(s.http.post(promotePath.formatted("prod"), TestConfig.CI, Json.obj()));
        assertThat(Api.historyRows(s)).isEqualTo(rows);

        ok(s.http.post(promotePath.formatted("staging"), TestConfig.CI, Json.obj()));
        rows = Api.historyRows(s);
        assertSoaking(s.http.post(promotePath.formatted("prod"), TestConfig.CI, Json.obj()), SOAK.toSeconds());
        assertThat(Api.historyRows(s)).isEqualTo(rows);
        members.forEach(m -> assertThat(prodPinStatus(s, m)).isEqualTo(404));

        s.clock.advance(SOAK.plusSeconds(1));
        ok(s.http.post(promotePath.formatted("prod"), TestConfig.CI, Json.obj()));
        members.forEach(m -> assertThat(Api.pin(s, "prod", m, null).path("image_digest").asText()).isEqualTo(images.get(m)));
    }
}
