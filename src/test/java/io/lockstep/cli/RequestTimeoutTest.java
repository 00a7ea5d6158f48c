package io.lockstep.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lockstep.testing.TestConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.lockstep.cli.TwoControlPlanes.newDigest;
import static io.lockstep.cli.TwoControlPlanes.oldDigest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 item 16: a write whose answer is lost is read back and reported as applied or OUTCOME
 * UNKNOWN (exit 4), never as failed; {@code --request-timeout} bounds each request and
 * {@code rollout status --wait --timeout} the whole command. The server is real; only the network
 * in front of it is slow.
 */
class RequestTimeoutTest extends TwoControlPlanesBase {
    private static final Map<String, String> ENV = Map.of("LOCKSTEP_TOKEN", TestConfig.CI);

    /** Forwards every request to a real server; POSTs are held before and/or after the server sees them. */
    static final class SlowNetwork implements AutoCloseable {
        private static final HttpClient UPSTREAM = HttpClient.newHttpClient();
        private final HttpServer server;
        private final ExecutorService pool = Executors.newCachedThreadPool();

        SlowNetwork(String upstream, Duration holdBefore, Duration holdAfter) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(pool);
            server.createContext("/", exchange -> forward(exchange, upstream, holdBefore, holdAfter));
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private static void forward(HttpExchange exchange, String upstream, Duration holdBefore, Duration holdAfter) {
            try (exchange) {
                boolean post = exchange.getRequestMethod().equals("POST");
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (post) {
                    Thread.sleep(holdBefore.toMillis());
                }
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                for (String h : new String[]{"Authorization", "Content-Type"}) {
                    String v = exchange.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        b.header(h, v);
                    }
                }
                HttpResponse<byte[]> r = UPSTREAM.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (post) {
                    Thread.sleep(holdAfter.toMillis());
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                exchange.getResponseBody().write(r.body());
            } catch (IOException e) {
                // the CLI gave up and closed the connection: expected here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    private InProcessCli.Run promoteHermesThrough(SlowNetwork network) {
        return InProcessCli.run(ENV, "promote", "--template", "hermes", "--digest", newDigest("hermes"),
                "--target", "prod=" + network.url(), "--request-timeout", "500ms");
    }

    @Test
    void aPromoteWhoseAnswerIsLostButWhichWasCommittedIsReportedApplied() throws Exception {
        try (SlowNetwork network = new SlowNetwork(cps.prod.url(), Duration.ZERO, Duration.ofSeconds(3))) {
            InProcessCli.Run run = promoteHermesThrough(network);

            assertThat(run.exit()).as(run.stdout() + run.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(run.stdout()).containsPattern("(?m)^prod\\s+hermes\\s.*applied\\s+the request got no answer: .*within 500ms;"
                    + " the read-back shows the pin at the new digest");
            assertThat(TwoControlPlanes.pins(cps.prod, "prod").get("hermes")).isEqualTo(newDigest("hermes"));
        }
    }

    @Test
    void aPromoteThatTheServerCommitsOnlyAfterTheReadBackIsOutcomeUnknownNotFailed() throws Exception {
        try (SlowNetwork network = new SlowNetwork(cps.prod.url(), Duration.ofSeconds(2), Duration.ZERO)) {
            InProcessCli.Run run = promoteHermesThrough(network);

            assertThat(run.exit()).as(run.stdout() + run.stderr()).isEqualTo(ExitCodes.OUTCOME_UNKNOWN);
            assertThat(run.stdout()).containsPattern("(?m)^prod\\s+hermes\\s.*OUTCOME UNKNOWN\\s+the request got no answer: .*;"
                    + " the pin is still at " + oldDigest("hermes") + ", but the server may yet apply the write")
                    .doesNotContain("FAILED");
            // ... and indeed it does: this is why "failed" would have been a lie.
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> newDigest("hermes").equals(TwoControlPlanes.pins(cps.prod, "prod").get("hermes")));
        }
    }

    @Test
    void rolloutStatusWaitTimeoutBoundsTheWholeCommandEvenWhenTheServerNeverAnswers() throws Exception {
        // The kernel completes connections into the backlog; nobody ever reads or answers them.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String target = "local=http://127.0.0.1:" + silent.getLocalPort();

            long start = System.nanoTime();
            InProcessCli.Run run = InProcessCli.run(ENV, "rollout", "status", "--target", target, "--wait",
                    "--timeout", "1s", "--interval", "200ms");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(run.exit()).as(run.stderr()).isEqualTo(ExitCodes.FAILED);
            assertThat(run.stderr()).contains("local: cannot read convergence: no answer").contains("not converged to 100% within 1s");
            // The request timeout is 30 s: anything under it proves the deadline cut the request short.
            assertThat(took).isLessThan(Duration.ofSeconds(15));

            start = System.nanoTime();
            InProcessCli.Run pins = InProcessCli.run(ENV, "pins", "--target", target, "--request-timeout", "300ms");
            assertThat(pins.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(pins.stderr()).contains("no answer within 300ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }
}
