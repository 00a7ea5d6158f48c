package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests and assertions the HTTP acceptance tests share. */
final class Api {
    static final String PROMOTE = "/cp/admin/runtime-image/promote";

    private Api() {
    }

    /** Creates a template through the admin API and returns its name. */
    static String newTemplate(TestServer s, String group, String... kinds) {
        String name = Unique.name("tpl");
        Http.Response r = s.http.post("/api/v1/templates", TestConfig.ADMIN, Json.obj("name", name,
                "repository", "registry.example.com/test/" + name, "kinds", Arrays.asList(kinds), "group", group));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return name;
    }

    static String newTemplate(TestServer s) {
        return newTemplate(s, null);
    }

    /** A seed-compatible promote by the {@code ci} token; {@code extra} adds body fields. */
    static Http.Response promote(TestServer s, String template, String digest, Object... extra) {
        return promoteAs(s, TestConfig.CI, template, digest, extra);
    }

    static Http.Response promoteAs(TestServer s, String token, String template, String digest, Object... extra) {
        List<Object> kv = new ArrayList<>(List.of("template_name", template, "image_digest", digest));
        kv.addAll(Arrays.asList(extra));
        return s.http.post(PROMOTE, token, Json.obj(kv.toArray()));
    }

    static JsonNode promoteOk(TestServer s, String template, String digest, Object... extra) {
        Http.Response r = promote(s, template, digest, extra);
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json();
    }

    /** A pin's history, newest first (first page of up to 500). */
    static JsonNode history(TestServer s, String env, String template, String region) {
        Http.Response r = s.http.get("/api/v1/environments/" + env + "/pins/" + template + "/history?limit=500"
                + (region == null ? "" : "&region=" + region), TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("entries");
    }

    /** How many history rows the whole server holds, as reported by chain verification. */
    static long historyRows(TestServer s) {
        Http.Response r = s.http.get("/api/v1/history/verify", TestConfig.READER);
        assertThat(r.json().path("valid").asBoolean()).as(r.body()).isTrue();
        return r.json().path("entries").asLong();
    }

    static JsonNode pin(TestServer s, String env, String template, String region) {
        Http.Response r = s.http.get("/api/v1/environments/" + env + "/pins/" + template
                + (region == null ? "" : "?region=" + region), TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** Every error is JSON {"error": sentence, "code": CODE, "retryable": per the catalogue} and never leaks internals. */
    static void assertError(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.json().path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(r.json().path("error").asText()).as(r.body()).isNotBlank();
        assertThat(r.json().path("retryable").isBoolean()).as(r.body()).isTrue();
        assertThat(r.json().path("retryable").booleanValue()).as(r.body())
                .isEqualTo(io.lockstep.domain.Problem.isRetryable(code));
        assertNoInternals(r);
    }

    static void assertNoInternals(Http.Response r) {
        assertThat(r.status()).as(r.body()).isLessThan(500);
        assertThat(r.body()).doesNotContain("at io.lockstep").doesNotContain("Exception").doesNotContain("at java.")
                .doesNotContain("at org.");
        for (String secret : TestConfig.ALL_SECRETS) {
            assertThat(r.body()).doesNotContain(secret);
        }
    }
}
