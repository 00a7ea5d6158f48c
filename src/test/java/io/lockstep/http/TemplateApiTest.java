package io.lockstep.http;

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

import java.util.List;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Managing templates through the admin API, and using a template created that way. */
class TemplateApiTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    private static Http.Response create(TestServer s, String token, Object... body) {
        return s.http.post("/api/v1/templates", token, Json.obj(body));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createReadUpdate(StoreKind store) {
        TestServer s = servers.of(store);
        String name = Unique.name("tpl");
        String kind = Unique.name("kind");
        Http.Response created = create(s, TestConfig.ADMIN, "name", name, "repository", "ghcr.io/acme/" + name,
                "kinds", List.of(kind), "group", "runtime");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("repository").asText()).isEqualTo("ghcr.io/acme/" + name);
        assertThat(created.json().path("pinnable").asBoolean()).isTrue();

        Http.Response read = s.http.get("/api/v1/templates/" + name, TestConfig.READER);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("kinds").get(0).asText()).isEqualTo(kind);
        assertThat(read.json().path("group").asText()).isEqualTo("runtime");

        Http.Response updated = s.http.put("/api/v1/templates/" + name, TestConfig.ADMIN,
                Json.obj("repository", "ghcr.io/acme/renamed", "kinds", List.of(kind)));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(s.http.get("/api/v1/templates/" + name, TestConfig.READER).json().path("repository").asText())
                .isEqualTo("ghcr.io/acme/renamed");
        assertThat(s.http.get("/cp/runtimes", null).body()).contains("ghcr.io/acme/renamed");

        assertError(s.http.put("/api/v1/templates/" + Unique.name("tpl"), TestConfig.ADMIN,
                Json.obj("repository", "ghcr.io/acme/x")), 404, "UNKNOWN_TEMPLATE");
        assertError(s.http.put("/api/v1/templates/" + name, TestConfig.ADMIN,
                Json.obj("name", "other", "repository", "ghcr.io/acme/x")), 400, "CONFLICTING_FIELDS");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void duplicateNameAndTakenKindAre409(StoreKind store) {
        TestServer s = servers.of(store);
        String name = Api.newTemplate(s);
        assertError(create(s, TestConfig.ADMIN, "name", name, "repository", "ghcr.io/acme/dup"), 409, "TEMPLATE_EXISTS");
        assertError(create(s, TestConfig.ADMIN, "name", "claude-code", "repository", "ghcr.io/acme/dup"), 409, "TEMPLATE_EXISTS");

        Http.Response taken = create(s, TestConfig.ADMIN, "name", Unique.name("tpl"), "repository", "ghcr.io/acme/k",
                "kinds", List.of("workspace"));
        assertError(taken, 409, "KIND_TAKEN");
        assertThat(taken.json().path("error").asText()).contains("claude-code");
        // Updating another template to steal the kind is refused as well.
        assertError(s.http.put("/api/v1/templates/" + name, TestConfig.ADMIN,
                Json.obj("repository", "ghcr.io/acme/x", "kinds", List.of("platform"))), 409, "KIND_TAKEN");
        assertThat(s.http.get("/api/v1/resolve?kind=workspace&environment=staging", TestConfig.READER).body())
                .doesNotContain(name);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onlyAdminsManageTemplates(StoreKind store) {
        TestServer s = servers.of(store);
        String name = Unique.name("tpl");
        assertError(create(s, TestConfig.READER, "name", name, "repository", "ghcr.io/acme/x"), 403, "FORBIDDEN");
        assertError(create(s, TestConfig.CI, "name", name, "repository", "ghcr.io/acme/x"), 403, "FORBIDDEN");
        assertError(create(s, null, "name", name, "repository", "ghcr.io/acme/x"), 401, "UNAUTHENTICATED");
        assertError(s.http.put("/api/v1/templates/solo", TestConfig.CI, Json.obj("repository", "ghcr.io/acme/x")),
                403, "FORBIDDEN");
        assertError(s.http.get("/api/v1/templates/" + name, TestConfig.READER), 404, "UNKNOWN_TEMPLATE");
        assertThat(s.http.get("/api/v1/templates/solo", TestConfig.READER).json().path("repository").asText())
                .isEqualTo("registry.example.com/molecule/solo");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void invalidRepositoryIs400(StoreKind store) {
        TestServer s = servers.of(store);
        for (String repo : new String[]{"ghcr.io/acme/x:latest", "ghcr.io/acme/x@sha256:" + "a".repeat(64),
                "GHCR.io/Acme/x", "ghcr.io/acme/x y", "", "https://ghcr.io/acme/x", "ghcr.io//x"}) {
            String name = Unique.name("tpl");
            Http.Response r = create(s, TestConfig.ADMIN, "name", name, "repository", repo);
            assertThat(r.status()).as(repo + " → " + r.body()).isEqualTo(400);
            assertThat(r.code()).as(repo).isIn("INVALID_REPOSITORY", "MISSING_FIELD");
            assertError(s.http.get("/api/v1/templates/" + name, TestConfig.READER), 404, "UNKNOWN_TEMPLATE");
        }
        assertError(create(s, TestConfig.ADMIN, "name", "Bad Name", "repository", "ghcr.io/acme/x"), 400, "INVALID_NAME");
        assertError(create(s, TestConfig.ADMIN, "name", Unique.name("tpl"), "repository", "ghcr.io/acme/x",
                "kinds", List.of("Not A Kind")), 400, "INVALID_NAME");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCreatedTemplateCanBePromotedAndResolved(StoreKind store) {
        TestServer s = servers.of(store);
        String kind = Unique.name("kind");
        String name = Api.newTemplate(s, null, kind);
        String d = Unique.digest();
        assertThat(Api.promote(s, name, d).status()).isEqualTo(201);
        Http.Response r = s.http.get("/api/v1/resolve?kind=" + kind, TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("image_ref").asText()).isEqualTo("registry.example.com/test/" + name + "@" + d);

        // Not pinnable: listed, but refuses pins.
        String fixed = Unique.name("tpl");
        assertThat(create(s, TestConfig.ADMIN, "name", fixed, "repository", "ghcr.io/acme/fixed", "pinnable", false)
                .status()).isEqualTo(201);
        assertError(Api.promote(s, fixed, d), 422, "TEMPLATE_NOT_PINNABLE");
    }
}
