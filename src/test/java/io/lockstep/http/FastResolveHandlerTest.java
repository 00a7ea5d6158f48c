package io.lockstep.http;

import io.lockstep.testing.Http;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Resolves are answered on Jetty's selector threads, so nothing that blocks may ever run there.
     * Requests whose bodies arrive slowly block the servlet layer while it reads; if they were
     * handled on a selector thread, every connection on that selector (resolves included) would stall.
     */
    @Test
    void slowRequestBodiesDoNotStallResolves() throws Exception {
        TestServer s = promoted();
        URI base = URI.create(s.url());
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors() + 2; i++) {
                Socket socket = new Socket(base.getHost(), base.getPort());
                stalled.add(socket);
                socket.getOutputStream().write(("POST /api/v1/environments/prod/pins/solo/promote HTTP/1.1\r\n"
                        + "Host: localhost\r\nAuthorization: Bearer " + TestConfig.CI + "\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"image_").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            // Every stalled body has reached a server thread before the resolves start: it is being read,
            // or it was already answered (the minimum body data rate cuts a stalled body off with a 408).
            // A deadline for a loaded machine, not a guess of how long accepting them takes.
            org.awaitility.Awaitility.await("a server thread reading or having answered each stalled body")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> threadsReadingABody() + answered(stalled) >= stalled.size());
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 20; i++) { // new connections are spread over every selector
                HttpResponse<String> r = fresh.send(HttpRequest.newBuilder(base.resolve("/api/v1/resolve" + QUERY))
                        .header("Authorization", "Bearer " + TestConfig.READER).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    /** Threads of this JVM (the in-process server's) blocked in the servlet layer's read of a request body. */
    private static long threadsReadingABody() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().endsWith(".HttpInput")
                        && f.getMethodName().equals("read")))
                .count();
    }

    /** Sockets with an answer waiting to be read. */
    private static long answered(List<Socket> sockets) throws java.io.IOException {
        long n = 0;
        for (Socket socket : sockets) {
            if (socket.getInputStream().available() > 0) {
                n++;
            }
        }
        return n;
    }

    private static long resolveCount(TestServer s) {
        String metrics = s.http.get("/metrics", null).body();
        Matcher m = Pattern.compile("lockstep_http_requests_seconds_count\\{[^}]*route=\"/api/v1/resolve\"[^}]*status=\"200\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
