package io.lockstep.http;

import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.LimitedTokens;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Templates are shared by every environment, so a token limited to some environments may not change
 * them: otherwise a staging-only admin could change what prod resolves (docs/api.md, "Global resources").
 */
class TemplateEnvironmentLimitTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers(LimitedTokens.YAML);

    /** A template (by the unrestricted admin) with its own kind, pinned in prod. */
    private record Pinned(String name, String kind, String digest) {
    }

    private static Pinned pinnedInProd(TestServer s) {
        String kind = Unique.name("kind");
        String name = Api.newTemplate(s, null, kind);
        String digest = Unique.digest();
        Http.Response promoted = s.http.post("/api/v1/environments/prod/pins/" + name + "/promote", TestConfig.CI,
                Json.obj("image_digest", digest));
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(201);
        return new Pinned(name, kind, digest);
    }

    private static Http.Response resolveProd(TestServer s, String kind) {
        return s.http.get("/api/v1/resolve?environment=prod&kind=" + kind, TestConfig.READER);
    }

    private static void assertRefusedByTheRule(Http.Response r) {
        assertError(r, 403, "FORBIDDEN");
        assertThat(r.json().path("error").asText()).contains("every hosted environment").contains("staging-admin")
                .contains("prod");
        for (String secret : LimitedTokens.SECRETS) {
            assertThat(r.body()).doesNotContain(secret);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStagingOnlyAdminCannotChangeWhatProdResolves(StoreKind store) {
        TestServer s = servers.of(store);
        Pinned p = pinnedInProd(s);
        Http.Response before = resolveProd(s, p.kind());
        assertThat(before.status()).as(before.body()).isEqualTo(200);
        assertThat(before.json().path("image_ref").asText()).endsWith(p.name() + "@" + p.digest());
        String template = s.http.get("/api/v1/templates/" + p.name(), TestConfig.READER).body();
        String repository = "registry.example.com/test/" + p.name();

        String path = "/api/v1/templates/" + p.name();
        // Point the kind at another image, clear its kinds, make it unpinnable, move the kind away.
        assertRefusedByTheRule(s.http.put(path, LimitedTokens.STAGING_ADMIN,
                Json.obj("repository", "ghcr.io/attacker/" + p.name(), "kinds", List.of(p.kind()))));
        assertRefusedByTheRule(s.http.put(path, LimitedTokens.STAGING_ADMIN,
                Json.obj("repository", repository, "kinds", List.of())));
        assertRefusedByTheRule(s.http.put(path, LimitedTokens.STAGING_ADMIN,
                Json.obj("repository", repository, "kinds", List.of(p.kind()), "pinnable", false)));
        assertRefusedByTheRule(s.http.put(path, LimitedTokens.STAGING_ADMIN,
                Json.obj("repository", repository, "kinds", List.of(p.kind()), "group", Unique.name("grp"))));
        String created = Unique.name("tpl");
        assertRefusedByTheRule(s.http.post("/api/v1/templates", LimitedTokens.STAGING_ADMIN,
                Json.obj("name", created, "repository", "ghcr.io/attacker/x", "kinds", List.of(Unique.name("kind")))));

        assertError(s.http.get("/api/v1/templates/" + created, TestConfig.READER), 404, "UNKNOWN_TEMPLATE");
        assertThat(s.http.get("/api/v1/templates/" + p.name(), TestConfig.READER).body()).isEqualTo(template);
        Http.Response after = resolveProd(s, p.kind());
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(after.body()).isEqualTo(before.body());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theLimitIsCheckedBeforeTheBodyAndTheScopeFirst(StoreKind store) {
        TestServer s = servers.of(store);
        // A staging-only promote token lacks admin at all: the scope is the first refusal.
        Http.Response noScope = s.http.post("/api/v1/templates", LimitedTokens.STAGING_CI,
                Json.obj("name", Unique.name("tpl"), "repository", "ghcr.io/acme/x"));
        assertError(noScope, 403, "FORBIDDEN");
        assertThat(noScope.json().path("error").asText()).contains("admin scope");
        // An invalid body from a staging-only admin is refused for the token, not judged.
        assertRefusedByTheRule(s.http.put("/api/v1/templates/solo", LimitedTokens.STAGING_ADMIN, "{not json"));
        // Reading stays open to a limited token.
        assertThat(s.http.get("/api/v1/templates/solo", LimitedTokens.STAGING_ADMIN).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAdminAllowedOnEveryHostedEnvironmentStillCan(StoreKind store) {
        TestServer s = servers.of(store);
        Pinned p = pinnedInProd(s);
        String repository = "registry.example.com/test/" + p.name();
        // Unrestricted admin: clearing the template's kinds reaches prod's resolve.
        Http.Response cleared = s.http.put("/api/v1/templates/" + p.name(), TestConfig.ADMIN,
                Json.obj("repository", repository, "kinds", List.of()));
        assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
        assertError(resolveProd(s, p.kind()), 404, "UNKNOWN_KIND");

        // An admin whose list names every hosted environment is as good as an unrestricted one.
        Http.Response restored = s.http.put("/api/v1/templates/" + p.name(), LimitedTokens.LISTED_ADMIN,
                Json.obj("repository", repository, "kinds", List.of(p.kind()), "pinnable", false));
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(resolveProd(s, p.kind()).json().path("image_ref").asText()).isEqualTo(repository + "@" + p.digest());
        assertThat(s.http.get("/api/v1/templates/" + p.name(), TestConfig.READER).json().path("pinnable").asBoolean())
                .isFalse();
        String name = Unique.name("tpl");
        Http.Response created = s.http.post("/api/v1/templates", LimitedTokens.LISTED_ADMIN,
                Json.obj("name", name, "repository", "ghcr.io/acme/" + name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
}
