package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.lockstep.http.Api.assertError;
import static io.lockstep.http.Api.promote;
import static org.assertj.core.api.Assertions.assertThat;

/** Error bodies say whether retrying can help, from the catalogue, beside the unchanged error and code. */
class ErrorRetryableTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    @Test
    void aFenceIsRetryableAndAConflictOrBadInputIsNot() {
        TestServer s = servers.of(StoreKind.SQLITE);
        String t = Api.newTemplate(s);
        String current = Unique.digest();
        Api.promoteOk(s, t, current, "environment", "staging");

        Http.Response conflict = promote(s, t, Unique.digest(), "environment", "staging", "expected_digest", Unique.digest());
        assertError(conflict, 409, "DIGEST_CONFLICT");
        assertRetryable(conflict, false);
        assertThat(conflict.json().path("current_digest").asText()).isEqualTo(current); // details unchanged

        Http.Response fence = s.http.post("/api/v1/environments/staging/fences", TestConfig.ADMIN,
                Json.obj("reason", "database migration", "ttl_seconds", 60));
        assertThat(fence.status()).as(fence.body()).isEqualTo(201);
        try {
            Http.Response fenced = promote(s, t, Unique.digest(), "environment", "staging");
            assertError(fenced, 409, "FENCED");
            assertRetryable(fenced, true);
            assertThat(fenced.json().path("retry_after_seconds").asLong()).isPositive();
        } finally {
            s.http.delete("/api/v1/environments/staging/fences/" + fence.json().path("id").asText(), TestConfig.ADMIN);
        }

        Http.Response unknown = promote(s, Unique.name("nope"), Unique.digest());
        assertError(unknown, 422, "UNKNOWN_TEMPLATE"); // the seed contract: promote of an unknown template
        assertRetryable(unknown, false);
        Http.Response noRoute = s.http.get("/api/v1/no-such-thing", TestConfig.READER);
        assertError(noRoute, 404, "NOT_FOUND");
        assertRetryable(noRoute, false);
        Http.Response tooLong = s.http.get("/api/v1/resolve?template=" + "a".repeat(20_000), TestConfig.READER);
        assertError(tooLong, 414, "URI_TOO_LONG"); // answered by Jetty's handler, before Javalin
        assertRetryable(tooLong, false);
    }

    @Test
    void theFieldComesRightAfterCodeAndIsDescribedInOpenApi() throws Exception {
        TestServer s = servers.of(StoreKind.SQLITE);
        Http.Response r = s.http.get("/api/v1/templates/" + Unique.name("nope"), TestConfig.READER);
        assertError(r, 404, "UNKNOWN_TEMPLATE");
        List<String> fields = new ArrayList<>();
        r.json().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("error", "code", "retryable");

        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(s.http.get("/openapi.yaml", null).body());
        assertThat(doc.path("components").path("schemas").path("Error").path("properties").path("retryable")
                .path("type").asText()).isEqualTo("boolean");
    }

    private static void assertRetryable(Http.Response r, boolean expected) {
        assertThat(r.json().path("retryable").isBoolean()).as(r.body()).isTrue();
        assertThat(r.json().path("retryable").booleanValue()).as(r.body()).isEqualTo(expected);
    }
}
