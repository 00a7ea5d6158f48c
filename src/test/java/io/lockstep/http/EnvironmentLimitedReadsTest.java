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

import java.util.ArrayList;
import java.util.List;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 item 3: a token limited to staging reads staging and nothing else. A read naming another
 * environment is 403 (hosted or not, so it cannot probe which exist); a read naming none shows only
 * the token's environments. The unrestricted reader sees prod in the same answers, which is what
 * makes each "only staging" check able to fail.
 */
class EnvironmentLimitedReadsTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    /** A template pinned in both environments with an instance reporting in each. */
    private static String seed(TestServer s) {
        String t = Api.newTemplate(s, null, Unique.name("kind"));
        for (String env : List.of("staging", "prod")) {
            Http.Response p = s.http.post("/api/v1/environments/" + env + "/pins/" + t + "/promote", TestConfig.ADMIN,
                    Json.obj("image_digest", Unique.digest()));
            assertThat(p.status()).as(p.body()).isEqualTo(201);
            Http.Response r = s.http.post("/api/v1/fleet/reports", TestConfig.REPORTER, "{\"reports\":[{\"instance_id\":\""
                    + Unique.name("i") + "\",\"environment\":\"" + env + "\",\"template\":\"" + t + "\",\"digest\":\""
                    + Unique.digest() + "\",\"observed_at\":\"" + s.clock.instant() + "\"}]}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unfilteredReadsShowOnlyTheTokensEnvironments(StoreKind kind) {
        TestServer s = servers.of(kind);
        String t = seed(s);

        // drift: findings and the environment list
        assertThat(environmentsOf(read(s, TestConfig.READER, "/api/v1/drift").path("findings"), "environment"))
                .contains("staging", "prod");
        JsonNode drift = read(s, TestConfig.STAGING_READER, "/api/v1/drift");
        assertThat(environmentsOf(drift.path("findings"), "environment")).containsOnly("staging");
        assertThat(environmentsOf(drift.path("environments"), "name")).containsExactly("staging");
        int counted = 0;
        for (JsonNode n : drift.path("counts")) {
            counted += n.asInt();
        }
        assertThat(counted).as("counts cover the shown findings only").isEqualTo(drift.path("findings").size());

        // drift input: environments, pins and per-pin signals; templates and releases are global
        assertThat(environmentsOf(read(s, TestConfig.READER, "/api/v1/drift/input").path("pins"), "environment"))
                .contains("staging", "prod");
        JsonNode input = read(s, TestConfig.STAGING_READER, "/api/v1/drift/input");
        assertThat(environmentsOf(input.path("environments"), "name")).containsExactly("staging");
        assertThat(environmentsOf(input.path("pins"), "environment")).containsOnly("staging");
        assertThat(input.path("pins").toString()).contains(t);
        assertThat(input.path("templates").toString()).contains(t);

        // convergence without a filter
        assertThat(environmentsOf(read(s, TestConfig.READER, "/api/v1/fleet/convergence").path("pins"), "environment"))
                .contains("staging", "prod");
        JsonNode convergence = read(s, TestConfig.STAGING_READER, "/api/v1/fleet/convergence?template=" + t);
        assertThat(environmentsOf(convergence.path("pins"), "environment")).containsExactly("staging");

        // the environment list the CLI iterates
        assertThat(environmentsOf(read(s, TestConfig.READER, "/api/v1/environments").path("environments"), "name"))
                .containsExactly("staging", "prod");
        assertThat(environmentsOf(read(s, TestConfig.STAGING_READER, "/api/v1/environments").path("environments"), "name"))
                .containsExactly("staging");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReadNamingAnotherEnvironmentIsForbiddenHostedOrNot(StoreKind kind) {
        TestServer s = servers.of(kind);
        String t = seed(s);
        List<String> named = List.of(
                "/api/v1/drift?environment=%s",
                "/api/v1/fleet/convergence?environment=%s",
                "/api/v1/environments/%s/pins",
                "/api/v1/environments/%s/pins/" + t,
                "/api/v1/environments/%s/pins/" + t + "/history",
                "/api/v1/environments/%s/fences",
                "/api/v1/resolve?template=" + t + "&environment=%s",
                "/cp/admin/runtime-image?environment=%s");
        for (String path : named) {
            assertThat(read(s, TestConfig.STAGING_READER, path.formatted("staging"))).isNotNull();
            Http.Response prod = s.http.get(path.formatted("prod"), TestConfig.STAGING_READER);
            assertError(prod, 403, "FORBIDDEN");
            assertThat(prod.json().path("error").asText()).contains("staging-only-reader may not act on environment \"prod\"");
            // an environment the server does not host: 403 too, never the 404 listing the hosted ones
            Http.Response qa = s.http.get(path.formatted("qa"), TestConfig.STAGING_READER);
            assertError(qa, 403, "FORBIDDEN");
            assertThat(qa.body()).doesNotContain("prod");
            // the unrestricted reader is told what exists
            assertError(s.http.get(path.formatted("qa"), TestConfig.READER), 404, "UNKNOWN_ENVIRONMENT");
        }
        // the seed-compatible list without an environment reads the default (prod)
        assertError(s.http.get("/cp/admin/runtime-image", TestConfig.STAGING_READER), 403, "FORBIDDEN");
        // the history chain links every environment's entries: only an unrestricted token verifies it
        assertError(s.http.get("/api/v1/history/verify", TestConfig.STAGING_READER), 403, "FORBIDDEN");
        assertThat(read(s, TestConfig.READER, "/api/v1/history/verify").path("valid").asBoolean()).isTrue();
    }

    private static JsonNode read(TestServer s, String token, String path) {
        Http.Response r = s.http.get(path, token);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> environmentsOf(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> {
            if (!out.contains(n.path(field).asText())) {
                out.add(n.path(field).asText());
            }
        });
        return out;
    }
}
