package io.lockstep.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Behaviour the real registry cannot be made to produce — 429s, 503 storms, a body that does not match
 * its digest, a paginating tags endpoint (Debian's distribution 2.8 ignores {@code n}), redirects to
 * object storage, hanging responses — checked against a scripted loopback server.
 */
class RegistryStandInTest {

    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = Digests.sha256(MANIFEST);

    private static RegistryConfig.Builder config(StandInServer server) {
        return RegistryConfig.builder(server.url()).rateLimit(0, 1)
                .retry(new RegistryRetry(4, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    private static void manifestOk(com.sun.net.httpserver.HttpExchange ex) throws java.io.IOException {
        ex.getResponseHeaders().set("Docker-Content-Digest", DIGEST);
        ex.getResponseHeaders().set("Content-Type", MediaTypes.OCI_MANIFEST);
        StandInServer.respond(ex, 200, MANIFEST);
    }

    @Test
    void retries429WithRetryAfterThenBackoffAndSucceeds() {
        try (StandInServer server = new StandInServer((ex, n) -> {
            if (n == 1) {
                ex.getResponseHeaders().set("Retry-After", "1");
                StandInServer.respond(ex, 429, null);
            } else if (n == 2) {
                StandInServer.respond(ex, 429, null);
            } else {
                manifestOk(ex);
            }
        })) {
            RecordingSleeper sleeper = new RecordingSleeper();
            RegistryClient client = new RegistryClient(config(server).build(), sleeper.timing(0.0));

            assertThat(client.headManifest("team/app", "v1").orElseThrow().digest()).isEqualTo(DIGEST);

            assertThat(server.requestCount()).isEqualTo(3);
            // 1st wait: the registry's Retry-After; 2nd: backoff for attempt 2 = 200 ms, jittered to its floor (half).
            assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(100));
        }
    }

    @Test
    void retryAfterIsCappedAndRealBackoffActuallyWaits() {
        try (StandInServer server = new StandInServer((ex, n) -> {
            if (n <= 2) {
                ex.getResponseHeaders().set("Retry-After", n == 1 ? "3600" : "0");
                StandInServer.respond(ex, 429, null);
            } else {
                manifestOk(ex);
            }
        })) {
            RecordingSleeper sleeper = new RecordingSleeper();
            RegistryClient client = new RegistryClient(config(server).build(), sleeper.timing(0.3));
            assertThat(client.headManifest("team/app", "v1")).isPresent();
            assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(5), Duration.ZERO);
        }
        // Same script with the system sleeper: two backoffs of >= 50 ms and >= 100 ms really happen.
        try (StandInServer server = new StandInServer((ex, n) -> {
            if (n <= 2) {
                StandInServer.respond(ex, 503, null);
            } else {
                manifestOk(ex);
            }
        })) {
            RegistryClient client = new RegistryClient(config(server).build());
            long start = System.nanoTime();
            assertThat(client.headManifest("team/app", "v1")).isPresent();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(server.requestCount()).isEqualTo(3);
        }
    }

    @Test
    void persistent5xxBecomesUnavailableAfterBoundedAttempts() {
        try (StandInServer server = new StandInServer((ex, n) -> StandInServer.respond(ex, 503,
                "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"x\"}]}".getBytes(StandardCharsets.UTF_8)))) {
            RecordingSleeper sleeper = new RecordingSleeper();
            RegistryClient client = new RegistryClient(config(server).build(), sleeper.timing(0.999));
            assertThatThrownBy(() -> client.getManifest("team/app", "v1"))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("team/app:v1")
                    .hasMessageContaining(server.url().getAuthority())
                    .hasMessageContaining("HTTP 503")
                    .hasMessageContaining("after 4 attempts")
                    .hasMessageContaining("UNAVAILABLE");
            assertThat(server.requestCount()).isEqualTo(4);
            // 100, 200, 400 ms doubled from the base, each jittered to just under its full value.
            assertThat(sleeper.waits).hasSize(3);
            assertThat(sleeper.waits.get(2)).isGreaterThan(sleeper.waits.get(1)).isGreaterThan(sleeper.waits.get(0));
            assertThat(sleeper.waits.get(2)).isLessThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void rateLimitSpacesRequestsWithInjectedClock() {
        try (StandInServer server = new StandInServer((ex, n) -> manifestOk(ex))) {
            RecordingSleeper sleeper = new RecordingSleeper();
            RegistryClient client = new RegistryClient(config(server).rateLimit(5, 1).build(), sleeper.timing(0.5));
            for (int i = 0; i < 10; i++) {
                client.headManifest("team/app", "v1");
            }
            assertThat(server.requestCount()).isEqualTo(10);
            // 5 req/s, burst 1: the first goes at once, each of the other nine waits 200 ms.
            assertThat(sleeper.waits).hasSize(9).allSatisfy(w -> assertThat(w).isEqualTo(Duration.ofMillis(200)));
            assertThat(sleeper.total()).isEqualTo(Duration.ofMillis(1800));
        }
    }

    @Test
    void rateLimitHoldsInRealTime() {
        try (StandInServer server = new StandInServer((ex, n) -> manifestOk(ex))) {
            RegistryClient client = new RegistryClient(config(server).rateLimit(20, 1).build());
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                client.headManifest("team/app", "v1");
            }
            // 8 requests at 20/s with burst 1 need at least 7 × 50 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(340));
            assertThat(server.requestCount()).isEqualTo(8);
        }
    }

    @Test
    void followsLinkPagination() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add(String.format("v%02d", i));
        }
        try (StandInServer server = new StandInServer((ex, n) -> {
            String q = ex.getRequestURI().getQuery();
            int size = Integer.parseInt(q.replaceAll(".*\\bn=(\\d+).*", "$1"));
            int from = q.contains("last=") ? all.indexOf(q.replaceAll(".*\\blast=([^&]+).*", "$1")) + 1 : 0;
            List<String> page = all.subList(from, Math.min(all.size(), from + size));
            if (from + size < all.size()) {
                ex.getResponseHeaders().set("Link", "</v2/team/app/tags/list?n=" + size + "&last=" + page.get(page.size() - 1) + ">; rel=\"next\"");
            }
            StandInServer.respond(ex, 200, ("{\"name\":\"team/app\",\"tags\":[\"" + String.join("\",\"", page) + "\"]}")
                    .getBytes(StandardCharsets.UTF_8));
        })) {
            RegistryClient client = new RegistryClient(config(server).build());
            assertThat(client.listTags("team/app", 5)).containsExactlyElementsOf(all);
            assertThat(server.requestCount()).isEqualTo(3);
            assertThat(server.received().get(1).uri().getQuery()).isEqualTo("n=5&last=v04");
        }
    }

    @Test
    void bodyThatDoesNotMatchItsDigestIsRejected() {
        String otherDigest = Digests.sha256("something else".getBytes(StandardCharsets.UTF_8));
        try (StandInServer server = new StandInServer((ex, n) -> {
            ex.getResponseHeaders().set("Docker-Content-Digest", otherDigest);
            ex.getResponseHeaders().set("Content-Type", MediaTypes.OCI_MANIFEST);
            StandInServer.respond(ex, 200, MANIFEST);
        })) {
            RegistryClient client = new RegistryClient(config(server).build());
            assertThatThrownBy(() -> client.getManifest("team/app", "v1"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("does not match Docker-Content-Digest " + otherDigest)
                    .hasMessageContaining("team/app:v1");
            // A HEAD by digest that the registry answers with a different digest is just as wrong.
            assertThatThrownBy(() -> client.headManifest("team/app", DIGEST)).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("registry reports digest " + otherDigest);
        }
        try (StandInServer server = new StandInServer((ex, n) -> {
            ex.getResponseHeaders().set("Content-Type", MediaTypes.OCI_MANIFEST);
            StandInServer.respond(ex, 200, MANIFEST);
        })) {
            RegistryClient client = new RegistryClient(config(server).build());
            assertThatThrownBy(() -> client.getManifest("team/app", otherDigest)).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("does not match the requested digest");
            assertThat(client.getManifest("team/app", DIGEST).digest()).isEqualTo(DIGEST);
        }
    }

    @Test
    void redirectedBlobDownloadDoesNotCarryRegistryCredentials() {
        byte[] blob = "{\"config\":{\"Labels\":{}}}".getBytes(StandardCharsets.UTF_8);
        String blobDigest = Digests.sha256(blob);
        try (StandInServer storage = new StandInServer((ex, n) -> StandInServer.respond(ex, 200, blob));
             StandInServer server = new StandInServer((ex, n) -> {
                 ex.getResponseHeaders().set("Location", storage.url() + "/bucket/blob?sig=x");
                 StandInServer.respond(ex, 307, null);
             })) {
            RegistryClient client = new RegistryClient(config(server)
                    .auth(RegistryAuth.basic(RegistryCredentials.of("u", "pw-that-must-stay-home", "test"))).build());
            assertThat(client.getBlob("team/app", blobDigest)).isEqualTo(blob);
            assertThat(server.received().get(0).authorization()).startsWith("Basic ");
            assertThat(storage.received()).hasSize(1);
            assertThat(storage.received().get(0).authorization()).isNull();
        }
    }

    @Test
    void hangingRegistryTimesOutAsUnavailable() {
        try (StandInServer server = new StandInServer((ex, n) -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            manifestOk(ex);
        })) {
            RegistryClient client = new RegistryClient(config(server).requestTimeout(Duration.ofMillis(200))
                    .retry(new RegistryRetry(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ZERO)).build());
            assertThatThrownBy(() -> client.headManifest("team/app", "v1"))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("request timed out")
                    .hasMessageContaining("after 2 attempts");
        }
    }

    @Test
    void unknownStatusIsAnErrorNamingTheRequest() {
        try (StandInServer server = new StandInServer((ex, n) -> StandInServer.respond(ex, 418, null))) {
            RegistryClient client = new RegistryClient(config(server).build());
            assertThatThrownBy(() -> client.headManifest("team/app", "v1"))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessageContaining("HEAD manifest team/app:v1").hasMessageContaining("HTTP 418");
            assertThat(server.requestCount()).isEqualTo(1);
        }
    }

}
