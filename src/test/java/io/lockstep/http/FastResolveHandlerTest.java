package io.lockstep.http;

import io.lockstep.testing.Http;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jetty fast path for resolve must answer exactly like the Javalin route: same bytes on
 * success, and every error left to the route. {@code /api/v1/resolve/} (trailing slash) is not
 * taken by the fast path, so it is the route's own answer to compare against.
 */
class FastResolveHandlerTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    private static final String QUERY = "?environment=prod&kind=solo";

    private TestServer promoted() {
        TestServer s = servers.of(StoreKind.SQLITE);
        var r = s.http.post("/api/v1/environments/prod/pins/solo/promote", TestConfig.CI,
                "{\"image_digest\":\"" + TestConfig.digest("fast-path") + "\"}");
        assertThat(r.status()).isIn(200, 201);
        return s;
    }

    @Test
    void fastPathAndRouteAnswerTheSameBytes() {
        TestServer s = promoted();
        Http.Response fast = s.http.get("/api/v1/resolve" + QUERY, TestConfig.READER);
        Http.Response route = s.http.get("/api/v1/resolve/" + QUERY, TestConfig.READER);
        assertThat(fast.status()).isEqualTo(200);
        assertThat(route.status()).isEqualTo(200);
        assertThat(fast.body()).isEqualTo(route.body());
        assertThat(fast.raw().headers().firstValue("Content-Type")).contains("application/json");
        assertThat(fast.json().path("image_digest").asText()).isEqualTo(TestConfig.digest("fast-path"));
    }

    @Test
    void errorsFallThroughToTheRoute() {
        TestServer s = promoted();
        assertThat(s.http.get("/api/v1/resolve" + QUERY, null).code()).isEqualTo("UNAUTHENTICATED");
        assertThat(s.http.get("/api/v1/resolve" + QUERY, "not-a-token").status()).isEqualTo(401);
        assertThat(s.http.get("/api/v1/resolve" + QUERY, TestConfig.REPORTER).code()).isEqualTo("FORBIDDEN");
        assertThat(s.http.get("/api/v1/resolve?environment=prod&kind=nope", TestConfig.READER).code()).isEqualTo("UNKNOWN_KIND");
        assertThat(s.http.get("/api/v1/resolve?environment=Bad!&kind=solo", TestConfig.READER).code()).isEqualTo("INVALID_NAME");
        assertThat(s.http.get("/api/v1/resolve?environment=qa&kind=solo", TestConfig.READER).code()).isEqualTo("UNKNOWN_ENVIRONMENT");
        assertThat(s.http.get("/api/v1/resolve?environment=staging&kind=solo", TestConfig.READER).code())
                .isEqualTo("RUNTIME_PIN_MISSING");
    }

    @Test
    void fastPathRequestsAreCountedInMetrics() {
        TestServer s = promoted();
        long before = resolveCount(s);
        for (int i = 0; i < 5; i++) {
            assertThat(s.http.get("/api/v1/resolve" + QUERY, TestConfig.READER).status()).isEqualTo(200);
        }
        assertThat(resolveCount(s)).isEqualTo(before + 5);
    }

    @Test
    void aNewPromoteIsServedImmediately() {
        TestServer s = promoted();
        String next = TestConfig.digest("fast-path-next-" + System.nanoTime());
        assertThat(s.http.post("/api/v1/environments/prod/pins/solo/promote", TestConfig.CI,
                "{\"image_digest\":\"" + next + "\"}").status()).isEqualTo(200);
        assertThat(s.http.get("/api/v1/resolve" + QUERY, TestConfig.READER).json().path("image_digest").asText())
                .isEqualTo(next);
    }

    private static long resolveCount(TestServer s) {
        String metrics = s.http.get("/metrics", null).body();
        Matcher m = Pattern.compile("lockstep_http_requests_seconds_count\\{[^}]*route=\"/api/v1/resolve\"[^}]*status=\"200\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
