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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;

import static io.lockstep.http.Api.PROMOTE;
import static io.lockstep.http.Api.assertError;
import static io.lockstep.http.Api.promote;
import static io.lockstep.http.Api.promoteAs;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed control plane's promote/list/runtimes endpoints, every status code, on both stores. */
class SeedCompatApiTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createdThenUpdatedThenUnchangedWithoutNewHistory(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String d1 = Unique.digest();
        String d2 = Unique.digest();

        Http.Response created = promote(s, t, d1);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("result").asText()).isEqualTo("created");
        assertThat(created.json().path("pin").path("image_digest").asText()).isEqualTo(d1);
        assertThat(created.json().path("pin").path("environment").asText()).isEqualTo("prod");
        assertThat(created.json().path("previous_digest").isNull()).isTrue();

        Http.Response updated = promote(s, t, d2);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("result").asText()).isEqualTo("updated");
        assertThat(updated.json().path("previous_digest").asText()).isEqualTo(d1);
        long rows = Api.historyRows(s);

        Http.Response unchanged = promote(s, t, d2);
        assertThat(unchanged.status()).isEqualTo(200);
        assertThat(unchanged.json().path("result").asText()).isEqualTo("unchanged");
        assertThat(unchanged.json().path("history_seq").isNull()).isTrue();
        assertThat(Api.historyRows(s)).isEqualTo(rows);
        assertThat(Api.history(s, "prod", t, null)).hasSize(2);
        assertThat(Api.pin(s, "prod", t, null).path("version").asLong()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void digestIsAnAliasOfImageDigest(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String d = Unique.digest();
        Http.Response r = s.http.post(PROMOTE, TestConfig.CI, Json.obj("template_name", t, "digest", d));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d);

        Http.Response same = s.http.post(PROMOTE, TestConfig.CI, Json.obj("template_name", t, "digest", d, "image_digest", d));
        assertThat(same.json().path("result").asText()).as(same.body()).isEqualTo("unchanged");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void validationFailuresAre400(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        assertError(promote(s, t, "sha256:abc"), 400, "INVALID_DIGEST");
        assertError(s.http.post(PROMOTE, TestConfig.CI, Json.obj("template_name", t)), 400, "MISSING_FIELD");
        assertError(promote(s, t, Unique.digest(), "git_sha", "not-a-sha"), 400, "INVALID_GIT_SHA");
        assertError(promote(s, t, Unique.digest(), "region", "EU West"), 400, "INVALID_NAME");
        assertThat(Api.history(s, "prod", t, null)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void missingOrUnknownTokenIs401AndNeverEchoed(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String wrongSecret = "wrong-secret-d00d-" + Unique.name("x");

        for (Http.Response r : new Http.Response[]{promoteAs(s, null, t, Unique.digest()),
                promoteAs(s, wrongSecret, t, Unique.digest()),
                s.http.get("/cp/admin/runtime-image", null),
                s.http.get("/cp/admin/runtime-image", wrongSecret)}) {
            assertError(r, 401, "UNAUTHENTICATED");
            assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(r.body()).doesNotContain(wrongSecret);
        }
        Http.Response basic = s.http.send(HttpRequest.newBuilder(URI.create(s.url() + "/cp/admin/runtime-image"))
                .header("Authorization", "Basic " + wrongSecret).GET(), null);
        assertError(basic, 401, "UNAUTHENTICATED");
        assertThat(basic.body()).doesNotContain(wrongSecret);
        assertThat(Api.history(s, "prod", t, null)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void scopeAndEnvironmentRestrictionsAre403(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        Http.Response reader = promoteAs(s, TestConfig.READER, t, Unique.digest());
        assertError(reader, 403, "FORBIDDEN");
        assertThat(reader.json().path("error").asText()).contains("reader");

        Http.Response prodOnlyToStaging = promoteAs(s, TestConfig.PROD_ONLY, t, Unique.digest(), "environment", "staging");
        assertError(prodOnlyToStaging, 403, "FORBIDDEN");
        assertThat(prodOnlyToStaging.json().path("error").asText()).contains("staging");
        assertError(promoteAs(s, TestConfig.REPORTER, t, Unique.digest()), 403, "FORBIDDEN");
        assertThat(Api.history(s, "staging", t, null)).isEmpty();

        // The same token may promote where it is allowed: the 403 above is about staging, not the token.
        assertThat(promoteAs(s, TestConfig.PROD_ONLY, t, Unique.digest()).status()).isEqualTo(201);
        assertThat(Api.history(s, "prod", t, null).get(0).path("promoted_by").asText()).isEqualTo("prod-only");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void expectedDigestMismatchIs409NamingTheCurrentDigest(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String current = Unique.digest();
        String stale = Unique.digest();
        Api.promoteOk(s, t, current);

        Http.Response r = promote(s, t, Unique.digest(), "expected_digest", stale);
        assertError(r, 409, "DIGEST_CONFLICT");
        assertThat(r.json().path("current_digest").asText()).isEqualTo(current);
        assertThat(r.json().path("error").asText()).contains(current);
        assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(current);

        String next = Unique.digest();
        Http.Response ok = promote(s, t, next, "expected_digest", current);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(next);

        // Compare-and-set on a pin that does not exist yet: nothing to match, so a conflict.
        Http.Response noPin = promote(s, Api.newTemplate(s), Unique.digest(), "expected_digest", current);
        assertError(noPin, 409, "DIGEST_CONFLICT");
        assertThat(noPin.json().path("current_digest").isNull()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void activeFenceIs409WithRetryAfter(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String before = Unique.digest();
        Api.promoteOk(s, t, before, "environment", "staging");
        s.clock.freezeAt(Instant.parse("2031-05-06T07:08:09Z"));
        Http.Response fence = s.http.post("/api/v1/environments/staging/fences", TestConfig.ADMIN,
                Json.obj("reason", "database migration", "ttl_seconds", 120));
        assertThat(fence.status()).as(fence.body()).isEqualTo(201);
        String fenceId = fence.json().path("id").asText();
        try {
            Http.Response r = promote(s, t, Unique.digest(), "environment", "staging");
            assertError(r, 409, "FENCED");
            long retry = r.json().path("retry_after_seconds").asLong();
            assertThat(retry).isBetween(120L, 121L);
            assertThat(r.raw().headers().firstValue("Retry-After")).hasValue(Long.toString(retry));
            assertThat(r.json().path("error").asText()).contains("database migration");
            assertThat(Api.pin(s, "staging", t, null).path("image_digest").asText()).isEqualTo(before);
            assertThat(r.json().has("other_refusals")).as("one reason, nothing added").isFalse();

            // Fenced and a stale compare-and-set: the fence answers, and the conflict is named beside it.
            String stale = Unique.digest();
            Http.Response both = promote(s, t, Unique.digest(), "environment", "staging", "expected_digest", stale);
            assertError(both, 409, "FENCED");
            assertThat(both.raw().headers().firstValue("Retry-After")).isPresent();
            assertThat(both.json().path("other_refusals")).hasSize(1);
            assertThat(both.json().path("other_refusals").get(0).path("code").asText()).isEqualTo("DIGEST_CONFLICT");
            assertThat(both.json().path("other_refusals").get(0).path("error").asText()).contains(before, stale);
            // Other environments are not fenced.
            assertThat(promote(s, t, Unique.digest()).status()).isEqualTo(201);

            // Fences expire on the server clock.
            s.clock.advance(java.time.Duration.ofSeconds(121));
            assertThat(promote(s, t, Unique.digest(), "environment", "staging").status()).isEqualTo(200);
        } finally {
            s.http.delete("/api/v1/environments/staging/fences/" + fenceId, TestConfig.ADMIN);
            s.clock.freezeAt(null);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownTemplateIs422(StoreKind store) {
        TestServer s = servers.of(store);
        Http.Response r = promote(s, "no-such-template", Unique.digest());
        assertError(r, 422, "UNKNOWN_TEMPLATE");
        assertThat(r.json().path("error").asText()).contains("no-such-template");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void oversizedBodyIs413(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        long rows = Api.historyRows(s);
        assertError(promote(s, t, Unique.digest(), "notes", "x".repeat(70 * 1024)), 413, "BODY_TOO_LARGE");
        assertError(promote(s, t, Unique.digest(), "notes", "x".repeat(2 * 1024 * 1024)), 413, "BODY_TOO_LARGE");
        assertThat(Api.historyRows(s)).isEqualTo(rows);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listShowsPinsInTheSeedShape(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String d = Unique.digest();
        Api.promoteOk(s, t, d, "git_sha", "19f3175", "runtime_version", "2.4.1", "notes", "hello", "region", "eu-west");

        Http.Response r = s.http.get("/cp/admin/runtime-image", TestConfig.READER);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("environment").asText()).isEqualTo("prod");
        JsonNode pin = null;
        for (JsonNode p : r.json().path("pins")) {
            if (p.path("template_name").asText().equals(t)) {
                pin = p;
            }
        }
        assertThat(pin).as(r.body()).isNotNull();
        assertThat(pin.path("region").asText()).isEqualTo("eu-west");
        assertThat(pin.path("image_digest").asText()).isEqualTo(d);
        assertThat(pin.path("image_ref").asText()).isEqualTo("registry.example.com/test/" + t + "@" + d);
        assertThat(pin.path("git_sha").asText()).isEqualTo("19f3175");
        assertThat(pin.path("runtime_version").asText()).isEqualTo("2.4.1");
        assertThat(Instant.parse(pin.path("promoted_at").asText())).isNotNull();
        assertThat(pin.path("promoted_by").asText()).isEqualTo("ci");
        assertThat(pin.path("notes").asText()).isEqualTo("hello");

        Http.Response staging = s.http.get("/cp/admin/runtime-image?environment=staging", TestConfig.READER);
        assertThat(staging.json().path("environment").asText()).isEqualTo("staging");
        assertThat(staging.body()).doesNotContain(t);
        assertError(s.http.get("/cp/admin/runtime-image?environment=staging", TestConfig.PROD_ONLY), 403, "FORBIDDEN");
        assertError(s.http.get("/cp/admin/runtime-image?environment=nowhere", TestConfig.READER), 404, "UNKNOWN_ENVIRONMENT");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void runtimesNeedNoToken(StoreKind store) {
        TestServer s = servers.of(store);
        Http.Response r = s.http.get("/cp/runtimes", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode claude = null;
        for (JsonNode rt : r.json().path("runtimes")) {
            assertThat(rt.has("name") && rt.has("image") && rt.has("pinnable")).as(rt.toString()).isTrue();
            if (rt.path("name").asText().equals("claude-code")) {
                claude = rt;
            }
        }
        assertThat(claude).isNotNull();
        assertThat(claude.path("image").asText()).isEqualTo("registry.example.com/molecule/claude-code");
        assertThat(claude.path("pinnable").asBoolean()).isTrue();
    }
}
