package io.lockstep.http;

import io.lockstep.testing.Http;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resolve: by template and by kind, region fallback to global, and failing closed (a missing pin is
 * an error, never a fallback to a tag such as {@code :latest}).
 */
class ResolveApiTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    private static Http.Response resolve(TestServer s, String query) {
        return s.http.get("/api/v1/resolve?" + query, TestConfig.READER);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void byTemplateAndByKind(StoreKind store) {
        TestServer s = servers.of(store);
        String kind = Unique.name("kind");
        String t = Api.newTemplate(s, null, kind);
        String d = Unique.digest();
        Api.promoteOk(s, t, d, "git_sha", "abcdef1");

        Http.Response byTemplate = resolve(s, "environment=prod&template=" + t);
        assertThat(byTemplate.status()).as(byTemplate.body()).isEqualTo(200);
        assertThat(byTemplate.json().path("image_ref").asText()).isEqualTo("registry.example.com/test/" + t + "@" + d);
        assertThat(byTemplate.json().path("image_digest").asText()).isEqualTo(d);
        assertThat(byTemplate.json().path("template_name").asText()).isEqualTo(t);
        assertThat(byTemplate.json().path("region").asText()).isEqualTo("global");
        assertThat(byTemplate.json().path("pin").path("git_sha").asText()).isEqualTo("abcdef1");
        assertThat(byTemplate.json().path("pin").path("promoted_by").asText()).isEqualTo("ci");

        Http.Response byKind = resolve(s, "environment=prod&kind=" + kind);
        assertThat(byKind.status()).as(byKind.body()).isEqualTo(200);
        assertThat(byKind.json().path("template_name").asText()).isEqualTo(t);
        assertThat(byKind.json().path("image_ref").asText()).isEqualTo(byTemplate.json().path("image_ref").asText());

        // No environment: the server's default (prod).
        assertThat(resolve(s, "kind=" + kind).json().path("environment").asText()).isEqualTo("prod");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void regionFallsBackToGlobalAndARegionalPinWins(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String global = Unique.digest();
        String eu = Unique.digest();
        Api.promoteOk(s, t, global);

        Http.Response fallback = resolve(s, "template=" + t + "&region=eu-west");
        assertThat(fallback.status()).as(fallback.body()).isEqualTo(200);
        assertThat(fallback.json().path("image_digest").asText()).isEqualTo(global);
        assertThat(fallback.json().path("region").asText()).isEqualTo("global");

        Api.promoteOk(s, t, eu, "region", "eu-west");
        Http.Response regional = resolve(s, "template=" + t + "&region=eu-west");
        assertThat(regional.json().path("image_digest").asText()).isEqualTo(eu);
        assertThat(regional.json().path("region").asText()).isEqualTo("eu-west");
        assertThat(resolve(s, "template=" + t + "&region=us-east").json().path("image_digest").asText()).isEqualTo(global);
        assertThat(resolve(s, "template=" + t).json().path("image_digest").asText()).isEqualTo(global);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownKindOrTemplateIs404(StoreKind store) {
        TestServer s = servers.of(store);
        assertError(resolve(s, "kind=no-such-kind"), 404, "UNKNOWN_KIND");
        assertError(resolve(s, "template=no-such-template"), 404, "UNKNOWN_TEMPLATE");
        assertError(resolve(s, "environment=nowhere&template=solo"), 404, "UNKNOWN_ENVIRONMENT");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTemplateWithoutAPinFailsClosed(StoreKind store) {
        TestServer s = servers.of(store);
        String kind = Unique.name("kind");
        String t = Api.newTemplate(s, null, kind);
        Api.promoteOk(s, t, Unique.digest(), "environment", "staging");

        for (String query : new String[]{"template=" + t, "kind=" + kind, "template=" + t + "&region=eu-west",
                "environment=prod&kind=" + kind}) {
            Http.Response r = resolve(s, query);
            assertError(r, 422, "RUNTIME_PIN_MISSING");
            assertThat(r.json().has("image_ref")).as(r.body()).isFalse();
            assertThat(r.json().has("image_digest")).as(r.body()).isFalse();
            assertThat(r.body()).doesNotContain(":latest").doesNotContain("registry.example.com");
        }
        // A pin in staging does not leak into prod, but staging itself resolves.
        assertThat(resolve(s, "environment=staging&template=" + t).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void resolveNeedsAReadToken(StoreKind store) {
        TestServer s = servers.of(store);
        assertError(s.http.get("/api/v1/resolve?template=solo", null), 401, "UNAUTHENTICATED");
        assertError(s.http.get("/api/v1/resolve?template=solo", TestConfig.REPORTER), 403, "FORBIDDEN");
        assertError(s.http.get("/api/v1/resolve?environment=staging&template=solo", TestConfig.PROD_ONLY), 403, "FORBIDDEN");
    }
}
