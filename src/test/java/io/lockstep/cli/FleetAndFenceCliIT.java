package io.lockstep.cli;

import io.lockstep.testing.Http;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 items 5 and 10 replayed the way a pipeline meets them: a real server in its own process
 * (times shortened by its configuration), the real jar as CLI.
 */
class FleetAndFenceCliIT {
    private static final String AGENT = TestConfig.digest("platform-agent@v0.3.43");
    private static final String CLAUDE = TestConfig.digest("claude-code@v0.3.43");

    @TempDir
    Path dir;

    private ServerProcess start(String extraYaml) {
        return ServerProcess.spec(dir).database(TestDatabases.sqlite(dir.resolve("db"))).config(TestConfig.yaml(extraYaml))
                .start();
    }

    private static void promote(ServerProcess server, String env, String template, String digest) {
        Http.Response r = server.http().post("/api/v1/environments/" + env + "/pins/" + template + "/promote",
                TestConfig.ADMIN, "{\"image_digest\":\"" + digest + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** Item 5: destroy-then-pull whose pull never came; once the reports age out, status is not "Converged". */
    @Test
    void aFleetThatStoppedReportingIsMissingNotConverged() {
        try (ServerProcess server = start("fleet: {instance_ttl: 8s, retention: 1h, instance_memory: 1h}\n")) {
            promote(server, "prod", "platform-agent", AGENT);
            promote(server, "prod", "claude-code", CLAUDE);
            report(server, "platform-agent", AGENT, "prod-concierge");
            // claude-code's fleet stays up, heartbeating: the command is not saved by "nothing reports at all"
            java.util.concurrent.ScheduledExecutorService heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            heartbeat.scheduleAtFixedRate(() -> report(server, "claude-code", CLAUDE, "prod-workspace"), 0, 1,
                    java.util.concurrent.TimeUnit.SECONDS);
            try {
                missingNotConverged(server);
            } finally {
                heartbeat.shutdownNow();
            }
        }
    }

    private static void report(ServerProcess server, String template, String digest, String prefix) {
        StringBuilder reports = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            reports.append(i == 0 ? "" : ",").append("{\"instance_id\":\"").append(prefix).append('-').append(i)
                    .append("\",\"environment\":\"prod\",\"template\":\"").append(template).append("\",\"digest\":\"")
                    .append(digest).append("\",\"observed_at\":\"").append(Instant.now()).append("\"}");
        }
        Http.Response sent = server.http().post("/api/v1/fleet/reports", TestConfig.REPORTER, "{\"reports\":[" + reports + "]}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    }

    private static void missingNotConverged(ServerProcess server) {
        Cli cli = new Cli().env("PROD_TOKEN", TestConfig.READER);
        String[] target = {"--target", "prod=" + server.url(), "--token-env", "prod=PROD_TOKEN"};
        Cli.Run live = cli.run(concat(new String[]{"rollout", "status"}, target));
        assertThat(live.exit()).as(live.all()).isZero();

        // the instances are destroyed and never come back: their reports age out (8 s TTL)
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> server.http().get("/api/v1/fleet/convergence?environment=prod&template=platform-agent",
                        TestConfig.READER).json().path("totals").path("instances").asLong() == 0);

        Cli.Run waited = cli.run(concat(new String[]{"rollout", "status", "--wait", "--timeout", "3s", "--interval",
                "500ms"}, target));
        assertThat(waited.exit()).as(waited.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(waited.stdout()).doesNotContain("Converged")
                .containsPattern("(?m)^prod\\s+prod\\s+platform-agent\\s+global\\s+\\S+\\s+\\S+\\s+0\\s+0\\s+0%\\s+3\\s");
        assertThat(waited.stderr()).contains("not converged to 100%")
                .contains("prod prod/platform-agent/global at 0% (0 stale, 3 missing instances (seen running recently: 3,"
                        + " live now: 0))");

        Cli.Run status = cli.run(concat(new String[]{"rollout", "status"}, target));
        assertThat(status.exit()).as(status.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(status.stderr()).contains("lockstep: prod: environment prod, template platform-agent, region global:"
                + " 3 missing instances");

        // --min-converged counts them too: 0% asks for nothing, anything above fails
        Cli.Run anyShare = cli.run(concat(new String[]{"rollout", "status", "--wait", "--timeout", "2s", "--interval",
                "500ms", "--min-converged", "1%"}, target));
        assertThat(anyShare.exit()).as(anyShare.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(anyShare.stderr()).contains("3 missing instances");
        // the live fleet converged all along: only platform-agent is named
        assertThat(status.stderr()).doesNotContain("claude-code");
    }

    /** Item 10: a fence ending after the retry budget fails at once, with the reason, instead of retrying. */
    @Test
    void aFenceOutlastingTheRetryBudgetFailsAtOnceNamingItsEnd() {
        try (ServerProcess server = start(null)) {
            promote(server, "prod", "platform-agent", TestConfig.digest("platform-agent@v0.3.42"));
            Http.Response fence = server.http().post("/api/v1/environments/prod/fences", TestConfig.ADMIN,
                    "{\"reason\":\"prod freeze\",\"ttl_seconds\":600}");
            assertThat(fence.status()).as(fence.body()).isEqualTo(201);
            String fenceId = fence.json().path("id").asText();
            // the store keeps milliseconds, so the refusal names the end at that precision
            String expiresAt = Instant.parse(fence.json().path("expires_at").asText())
                    .truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();

            long started = System.nanoTime();
            Cli.Run run = new Cli().env("PROD_TOKEN", TestConfig.CI).run("promote", "--template", "platform-agent",
                    "--digest", AGENT, "--target", "prod=" + server.url(), "--token-env", "prod=PROD_TOKEN",
                    "--retry-interval", "1s", "--retry-budget", "90s");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(run.exit()).as(run.all()).isEqualTo(ExitCodes.FAILED);
            assertThat(run.stderr()).contains("lockstep: prod: attempt 1: environment prod is fenced (fence " + fenceId
                    + " by admin: prod freeze) until " + expiresAt + ", beyond the retry budget (90s, ");
            assertThat(run.stderr()).contains("not retrying").doesNotContain("retrying in");
            assertThat(run.stdout()).containsPattern("(?m)^prod\\s+platform-agent\\s.*FAILED.*HTTP 409 .*\"code\":\"FENCED\"");
            // one attempt, no wait: far less than the 90 s budget (the bound allows for a slow JVM start)
            assertThat(took).isLessThan(Duration.ofSeconds(60));
            assertThat(answered(server, "status=\"409\"")).as("the fenced promote was sent once").isEqualTo(1);
            assertThat(server.http().get("/api/v1/environments/prod/pins/platform-agent", TestConfig.READER).body())
                    .doesNotContain(AGENT);
        }
    }

    /** Requests the server answered whose metric labels contain {@code label}. */
    private static long answered(ServerProcess server, String label) {
        long total = 0;
        for (String line : server.http().get("/metrics", null).body().split("\n")) {
            if (line.startsWith("lockstep_http_requests_seconds_count{") && line.contains(label)) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
