package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Releases are global, but a release is vouched for only in the environments its registrants may
 * write: a staging-only CI token cannot decide what prod pins by registering a release first
 * (docs/api.md, "Who vouches for a release").
 */
class ReleaseRegistrantTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers(LimitedTokens.YAML);

    /** A fresh lock-step group of two templates and one build of it. */
    private record Build(String group, Map<String, String> images) {
        String id(String version) {
            return group + "@" + version;
        }
    }

    private static Build newBuild(TestServer s) {
        String g = Unique.name("grp");
        Map<String, String> images = new LinkedHashMap<>();
        images.put(Api.newTemplate(s, g), Unique.digest());
        images.put(Api.newTemplate(s, g), Unique.digest());
        return new Build(g, images);
    }

    private static Http.Response register(TestServer s, String token, Build b, String version, Map<String, String> images) {
        return s.http.post("/api/v1/releases", token, Json.obj("group", b.group(), "runtime_version", version,
                "images", images));
    }

    private static Http.Response promote(TestServer s, String token, String env, String id) {
        return s.http.post("/api/v1/environments/" + env + "/releases/" + id + "/promote", token,
                Json.obj("notes", "release " + id));
    }

    private static Map<String, String> pins(TestServer s, String env, Build b) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : s.http.get("/api/v1/environments/" + env + "/pins", TestConfig.READER).json().path("pins")) {
            if (b.images().containsKey(p.path("template_name").asText())) {
                out.put(p.path("template_name").asText(), p.path("image_digest").asText());
            }
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        return array.isNull() ? null : java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText).toList();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStagingOnlyTokensReleaseCannotBePromotedIntoProd(StoreKind store) {
        TestServer s = servers.of(store);
        Build b = newBuild(s);
        String id = b.id("1.0.2");
        Http.Response registered = register(s, LimitedTokens.STAGING_CI, b, "1.0.2", b.images());
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(texts(registered.json().path("registered_by"))).containsExactly("staging-ci");
        assertThat(texts(registered.json().path("registrant_environments"))).containsExactly("staging");

        Http.Response staged = promote(s, LimitedTokens.STAGING_CI, "staging", id);
        assertThat(staged.status()).as(staged.body()).isEqualTo(200);
        assertThat(pins(s, "staging", b)).isEqualTo(b.images());

        Map<String, String> prodBefore = pins(s, "prod", b);
        long rows = Api.historyRows(s);
        // Even an unrestricted promote token may not carry the staging token's digests into prod.
        for (String token : new String[]{TestConfig.CI, TestConfig.PROD_ONLY, TestConfig.ADMIN}) {
            Http.Response refused = promote(s, token, "prod", id);
            assertError(refused, 403, "RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT");
            assertThat(refused.json().path("error").asText()).contains("staging-ci").contains("staging")
                    .contains("prod").contains(id);
            assertThat(texts(refused.json().path("registered_by"))).containsExactly("staging-ci");
            assertThat(texts(refused.json().path("registrant_environments"))).containsExactly("staging");
            for (String secret : LimitedTokens.SECRETS) {
                assertThat(refused.body()).doesNotContain(secret);
            }
        }
        assertThat(pins(s, "prod", b)).isEqualTo(prodBefore).isEmpty();
        assertThat(Api.historyRows(s)).isEqualTo(rows);

        // A conflicting registration by the prod pipeline stays a loud 409 and changes nothing.
        Map<String, String> real = new LinkedHashMap<>(b.images());
        real.replaceAll((t, d) -> Unique.digest());
        assertError(register(s, TestConfig.PROD_ONLY, b, "1.0.2", real), 409, "RELEASE_CONFLICT");
        JsonNode read = s.http.get("/api/v1/releases/" + id, TestConfig.READER).json();
        assertThat(texts(read.path("registrant_environments"))).containsExactly("staging");
        assertError(promote(s, TestConfig.PROD_ONLY, "prod", id), 403, "RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIdenticalRegistrationByAProdCapableTokenVouchesForProd(StoreKind store) {
        TestServer s = servers.of(store);
        Build b = newBuild(s);
        String id = b.id("2.0.0");
        assertThat(register(s, LimitedTokens.STAGING_CI, b, "2.0.0", b.images()).status()).isEqualTo(201);
        assertThat(promote(s, LimitedTokens.STAGING_CI, "staging", id).status()).isEqualTo(200);
        assertError(promote(s, TestConfig.PROD_ONLY, "prod", id), 403, "RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT");

        // A narrower or equal reach adds nothing; the prod pipeline's identical registration widens it.
        Http.Response same = register(s, LimitedTokens.STAGING_CI, b, "2.0.0", b.images());
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(texts(same.json().path("registrant_environments"))).containsExactly("staging");
        Http.Response widened = register(s, TestConfig.PROD_ONLY, b, "2.0.0", b.images());
        assertThat(widened.status()).as(widened.body()).isEqualTo(200);
        assertThat(widened.json().path("result").asText()).isEqualTo("unchanged");
        assertThat(widened.json().path("created_by").asText()).isEqualTo("staging-ci");
        assertThat(texts(widened.json().path("registered_by"))).containsExactly("staging-ci", "prod-only");
        assertThat(texts(widened.json().path("registrant_environments"))).containsExactly("prod", "staging");
        // Persisted, not just answered.
        JsonNode read = s.http.get("/api/v1/releases/" + id, TestConfig.READER).json();
        assertThat(texts(read.path("registrant_environments"))).containsExactly("prod", "staging");

        Http.Response promoted = promote(s, TestConfig.PROD_ONLY, "prod", id);
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(pins(s, "prod", b)).isEqualTo(b.images());

        // An unrestricted token's identical registration makes it promotable everywhere (null).
        Http.Response everywhere = register(s, TestConfig.CI, b, "2.0.0", b.images());
        assertThat(everywhere.status()).as(everywhere.body()).isEqualTo(200);
        assertThat(everywhere.json().path("registrant_environments").isNull()).as(everywhere.body()).isTrue();
        assertThat(texts(everywhere.json().path("registered_by"))).containsExactly("staging-ci", "prod-only", "ci");
        assertThat(s.http.get("/api/v1/releases/" + id, TestConfig.READER).json().path("registrant_environments")
                .isNull()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnrestrictedTokensReleaseIsPromotableEverywhere(StoreKind store) {
        TestServer s = servers.of(store);
        Build b = newBuild(s);
        Http.Response registered = register(s, TestConfig.CI, b, "3.0.0", b.images());
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(texts(registered.json().path("registered_by"))).containsExactly("ci");
        assertThat(registered.json().path("registrant_environments").isNull()).isTrue();
        // A narrower token registering the same content later does not narrow it.
        assertThat(register(s, LimitedTokens.STAGING_CI, b, "3.0.0", b.images()).json().path("registrant_environments")
                .isNull()).isTrue();
        Http.Response promoted = promote(s, TestConfig.PROD_ONLY, "prod", b.id("3.0.0"));
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(pins(s, "prod", b)).isEqualTo(b.images());
    }
}
