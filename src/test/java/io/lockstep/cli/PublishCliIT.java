package io.lockstep.cli;

import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.lockstep.cli.TwoControlPlanes.newDigest;
import static io.lockstep.cli.TwoControlPlanes.oldDigest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance of issue 3: {@code lockstep publish} run as the real jar in a subprocess against two
 * real Lockstep servers (staging and prod) on loopback.
 */
class PublishCliIT extends TwoControlPlanesBase {

    private String[] publish(Path release, String... extra) {
        List<String> args = new ArrayList<>(List.of("publish", "--release", release.toString()));
        args.addAll(List.of(cps.targets()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static Map<String, String> allAt(java.util.function.Function<String, String> digest) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String t : TestConfig.GROUP) {
            m.put(t, digest.apply(t));
        }
        return m;
    }

    @Test
    void seedScenarioPublishesEveryMemberToBothTargets() throws Exception {
        Cli.Run run = cli().run(publish(cps.seedRelease()));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(TwoControlPlanes.pins(cps.staging, "staging"))
                .isEqualTo(allAt(TwoControlPlanes::newDigest));
        assertThat(TwoControlPlanes.pins(cps.prod, "prod")).isEqualTo(allAt(TwoControlPlanes::newDigest));
        String movement = java.util.regex.Pattern.quote(brief(oldDigest("platform-agent")) + " → "
                + brief(newDigest("platform-agent")));
        assertThat(run.stdout()).containsPattern("(?m)^prod\\s+platform-agent\\s+" + movement + "\\s+updated$");
        assertThat(run.stdout().lines().filter(l -> l.endsWith("updated"))).hasSize(10);
        assertThat(run.stdout()).contains("publish runtime@v0.3.43: succeeded on staging, prod");
    }

    @Test
    void publishingTheSameReleaseAgainIsUnchangedAndJsonIsMachineReadable() throws Exception {
        Path release = cps.seedRelease();
        assertThat(cli().run(publish(release)).exit()).isZero();

        Cli.Run again = cli().run(publish(release, "--json"));

        assertThat(again.exit()).as(again.all()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.stdout());
        assertThat(json.path("ok").asBoolean()).isTrue();
        assertThat(json.path("results")).hasSize(10);
        json.path("results").forEach(r -> assertThat(r.path("status").asText()).isEqualTo("unchanged"));
    }

    @Test
    void readOnlyProdTokenFailsLoudlyNamingProdAndTheTemplateWhileStagingIsPromoted() throws Exception {
        Path summary = dir.resolve("step-summary.md");
        Cli.Run run = cli().env("PROD_TOKEN", TestConfig.READER)
                .env("GITHUB_ACTIONS", "true").env("GITHUB_STEP_SUMMARY", summary.toString())
                .run(publish(cps.seedRelease()));

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern("(?m)^prod\\s+platform-agent\\s.*FAILED.*HTTP 403 .*lacks the promote scope.*\"code\":\"FORBIDDEN\"");
        assertThat(run.stdout()).contains("FAILED on prod (5 failed); succeeded on staging");
        assertThat(TwoControlPlanes.pins(cps.staging, "staging")).isEqualTo(allAt(TwoControlPlanes::newDigest));
        assertThat(TwoControlPlanes.pins(cps.prod, "prod")).isEqualTo(allAt(TwoControlPlanes::oldDigest));
        assertThat(run.stdout()).containsPattern("(?m)^::error title=lockstep publish%3A prod platform-agent::prod platform-agent FAILED.*403");
        assertThat(Files.readString(summary)).contains("### lockstep publish runtime@v0.3.43 ❌")
                .containsPattern("\\| prod \\| platform-agent \\| .* \\| \\*\\*FAILED\\*\\* \\| .*403")
                .contains("| staging | platform-agent |");
    }

    @Test
    void missingTokenVariableExitsTwoBeforeAnyRequest() throws Exception {
        Path release = cps.seedRelease();

        try (Tripwire staging = new Tripwire(); Tripwire prod = new Tripwire()) {
            Cli.Run run = new Cli().env("STAGING_TOKEN", TestConfig.CI).run(publishTo(staging, prod, release));

            assertThat(run.exit()).as(run.all()).isEqualTo(2);
            assertThat(run.stderr()).contains("lockstep: target prod: environment variable PROD_TOKEN is not set");
            assertNothingSent(staging, prod);
        }
    }

    @Test
    void emptyDigestExitsTwoBeforeAnyRequest() throws Exception {
        Path release = cps.release("empty.yaml", Files.readString(cps.seedRelease())
                .replace(newDigest("hermes"), "\"\""));

        try (Tripwire staging = new Tripwire(); Tripwire prod = new Tripwire()) {
            Cli.Run run = cli().run(publishTo(staging, prod, release));

            assertThat(run.exit()).as(run.all()).isEqualTo(2);
            assertThat(run.stderr()).contains("images.hermes is empty");
            assertThat(run.stderr().lines().filter(l -> l.startsWith("lockstep: "))).hasSize(2);
            assertNothingSent(staging, prod);
        }
    }

    @Test
    void releaseLeavingOutPlatformAgentExitsTwoWithoutAnyWrite() throws Exception {
        Path release = cps.release("incomplete.yaml", Files.readString(cps.seedRelease())
                .lines().filter(l -> !l.contains("platform-agent")).reduce("", (a, b) -> a + b + "\n"));
        String before = state();

        Cli.Run run = cli().run(publish(release));

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.stderr()).contains("target staging: release runtime@v0.3.43 leaves out platform-agent")
                .contains("target prod: release runtime@v0.3.43 leaves out platform-agent");
        // Preflight may read GET /cp/runtimes (public, read-only) to learn the group; it never writes.
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void fenceHeldForThreeSecondsIsRetriedUntilThePublishSucceeds() throws Exception {
        // The fence lives on prod's clock, frozen here, so a slow CLI start cannot outlive it: the test
        // lets its 3 s pass only once the CLI has been refused twice (so it has retried).
        cps.prod.clock.freezeAt(java.time.Instant.now());
        Http.Response fence = cps.prod.http.post("/api/v1/environments/prod/fences", TestConfig.ADMIN,
                "{\"reason\":\"prod rollout in progress\",\"ttl_seconds\":3}");
        assertThat(fence.status()).isEqualTo(201);
        Path release = cps.seedRelease();

        var publishing = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli().run(publish(release, "--retry-interval", "1s", "--retry-budget", "90s")));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> TwoControlPlanes.requests(cps.prod, "status=\"409\"") >= 2);
        cps.prod.clock.advance(java.time.Duration.ofSeconds(3));
        Cli.Run run = publishing.get(120, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.stderr()).containsPattern("prod: attempt 1 got HTTP 409 .*\"code\":\"FENCED\".*prod rollout in progress")
                .contains("prod: attempt 2 got HTTP 409");
        assertThat(TwoControlPlanes.pins(cps.prod, "prod")).isEqualTo(allAt(TwoControlPlanes::newDigest));
        assertThat(TwoControlPlanes.pins(cps.staging, "staging")).isEqualTo(allAt(TwoControlPlanes::newDigest));
    }

    @Test
    void fenceHeldPastTheBudgetFailsWithThe409Body() throws Exception {
        cps.prod.http.post("/api/v1/environments/prod/fences", TestConfig.ADMIN,
                "{\"reason\":\"prod freeze\",\"ttl_seconds\":600}");

        Cli.Run run = cli().run(publish(cps.seedRelease(), "--retry-interval", "1s", "--retry-budget", "2s"));

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern("(?m)^prod\\s+claude-code\\s.*FAILED\\s+promote failed: HTTP 409 .*\"code\":\"FENCED\"")
                .contains("\"reason\":\"prod freeze\"").contains("\"retry_after_seconds\":");
        assertThat(TwoControlPlanes.pins(cps.prod, "prod")).isEqualTo(allAt(TwoControlPlanes::oldDigest));
        assertThat(TwoControlPlanes.pins(cps.staging, "staging")).isEqualTo(allAt(TwoControlPlanes::newDigest));
    }

    @Test
    void incompleteReleasePostedStraightToTheApiIs422AndChangesNothing() {
        String before = TwoControlPlanes.state(cps.prod);
        StringBuilder images = new StringBuilder();
        for (String t : TestConfig.GROUP) {
            if (!t.equals("platform-agent")) {
                images.append(images.length() == 0 ? "" : ",").append('"').append(t).append("\":\"").append(newDigest(t)).append('"');
            }
        }
        Http.Response r = cps.prod.http.post("/api/v1/releases", TestConfig.CI,
                "{\"group\":\"runtime\",\"runtime_version\":\"v0.3.43\",\"images\":{" + images + "}}");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("INCOMPLETE_RELEASE");
        assertThat(r.json().path("missing").toString()).isEqualTo("[\"platform-agent\"]");
        assertThat(TwoControlPlanes.state(cps.prod)).isEqualTo(before);
    }

    @Test
    void excludedMemberKeepsItsPinAndTheReasonIsInItsHistory() throws Exception {
        Path release = cps.release("exclude.yaml", Files.readString(cps.seedRelease())
                .replaceAll("(?m)^  openclaw: .*\\n", "") + "exclude:\n  openclaw: \"openclaw build is broken upstream\"\n");

        Cli.Run run = cli().run(publish(release));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.stdout()).containsPattern("(?m)^prod\\s+openclaw\\s.*excluded\\s+openclaw build is broken upstream");
        assertThat(TwoControlPlanes.pins(cps.prod, "prod").get("openclaw")).isEqualTo(oldDigest("openclaw"));
        Http.Response history = cps.prod.http.get("/api/v1/environments/prod/pins/openclaw/history", TestConfig.ADMIN);
        assertThat(history.body()).contains("excluded from release runtime@v0.3.43: openclaw build is broken upstream");
    }

    private String state() {
        return TwoControlPlanes.state(cps.staging) + " | " + TwoControlPlanes.state(cps.prod);
    }

    /** {@code publish} aimed at two ports that only record connections (see {@link Tripwire}). */
    private static String[] publishTo(Tripwire staging, Tripwire prod, Path release) {
        return new String[]{"publish", "--release", release.toString(), "--target", "staging=" + staging.url(),
                "--target", "prod=" + prod.url(), "--token-env", "staging=STAGING_TOKEN", "--token-env", "prod=PROD_TOKEN"};
    }

    /** The CLI (already exited) opened no connection to either target: it sent nothing at all. */
    private static void assertNothingSent(Tripwire staging, Tripwire prod) {
        assertThat(staging.connections()).as("connections to staging").isZero();
        assertThat(prod.connections()).as("connections to prod").isZero();
    }
}
