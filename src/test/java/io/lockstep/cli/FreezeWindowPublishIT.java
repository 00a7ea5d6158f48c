package io.lockstep.cli;

import io.lockstep.testing.Http;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay of the seed world's prod freeze, end to end: prod is a real server process whose
 * {@code freeze_windows} hold now; {@code lockstep publish} (the real jar) moves staging, is refused in
 * prod with the window and its end named, exits 1 within its retry budget and changes nothing in prod.
 */
class FreezeWindowPublishIT {
    @TempDir
    Path dir;

    @Test
    void aPublishDuringAFreezeWindowExits1NamingTheWindowAndWhenItEnds() throws Exception {
        // a daily UTC window from an hour ago to two hours ahead (it may wrap past midnight; daily windows do)
        LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        String from = now.minusHours(1).toString();
        String to = now.plusHours(2).toString();
        String prodWithWindow = "  - name: prod\n    upstream: staging\n    freeze_windows:\n"
                + "      - {name: seed-freeze, from: \"" + from + "\", to: \"" + to + "\", zone: UTC}\n";
        String yaml = TestConfig.yaml(null).replace("  - name: prod\n    upstream: staging\n", prodWithWindow);
        assertThat(yaml).contains("seed-freeze");

        try (TestServer staging = new TestServer(TestDatabases.sqlite(Files.createDirectories(dir.resolve("staging"))));
             ServerProcess prod = ServerProcess.spec(Files.createDirectories(dir.resolve("prod-logs")))
                     .database(TestDatabases.sqlite(Files.createDirectories(dir.resolve("prod")))).config(yaml).start()) {
            for (String t : TestConfig.GROUP) {
                seed(staging.http, "staging", t);
            }
            String prodBefore = prod.http().get("/api/v1/environments/prod/pins", TestConfig.ADMIN).body();
            StringBuilder release = new StringBuilder("group: runtime\nruntime_version: " + TwoControlPlanes.NEW_VERSION
                    + "\ngit_sha: " + TwoControlPlanes.GIT_SHA + "\nimages:\n");
            for (String t : TestConfig.GROUP) {
                release.append("  ").append(t).append(": ").append(TwoControlPlanes.newDigest(t)).append('\n');
            }
            Path file = Files.writeString(dir.resolve("release.yaml"), release);

            String[] targets = {"--target", "staging=" + staging.url(), "--target", "prod=" + prod.url(),
                    "--token-env", "staging=STAGING_TOKEN", "--token-env", "prod=PROD_TOKEN"};
            Cli planner = new Cli().env("STAGING_TOKEN", TestConfig.READER).env("PROD_TOKEN", TestConfig.READER);
            // not registered on prod yet: plan asks prod's gate pin by pin
            assertPlanShowsTheFreeze(planner.run(concat(new String[]{"plan", "--release", file.toString(),
                    "--fail-if-pending"}, targets)), "staging");

            long started = System.nanoTime();
            Cli.Run run = new Cli().env("STAGING_TOKEN", TestConfig.CI).env("PROD_TOKEN", TestConfig.CI).run("publish",
                    "--release", file.toString(), "--target", "staging=" + staging.url(), "--target", "prod=" + prod.url(),
                    "--token-env", "staging=STAGING_TOKEN", "--token-env", "prod=PROD_TOKEN", "--retry-budget", "30s");

            assertThat(run.exit()).as(run.all()).isEqualTo(1);
            assertThat(System.nanoTime() - started).as("fails fast: the window outlasts the budget")
                    .isLessThan(25_000_000_000L);
            assertThat(run.all()).contains("FROZEN")
                    .contains("prod is frozen by window seed-freeze until ")
                    .containsPattern("T" + to + "Z \\(UTC\\)");
            assertThat(prod.http().get("/api/v1/environments/prod/pins", TestConfig.ADMIN).body()).isEqualTo(prodBefore);
            assertThat(TwoControlPlanes.pins(staging, "staging").get("hermes")).isEqualTo(TwoControlPlanes.newDigest("hermes"));
            // publish registered it on prod: plan asks about the release, as publish promotes it
            assertPlanShowsTheFreeze(planner.run(concat(new String[]{"plan", "--release", file.toString(),
                    "--fail-if-pending"}, targets)), "prod");
            assertThat(prod.http().get("/api/v1/environments/prod/pins", TestConfig.ADMIN).body()).isEqualTo(prodBefore);
        }
    }

    /**
     * The drift gate during the same freeze: prod is one release behind staging only because the window
     * refuses its catch-up, so {@code lockstep drift --fail-on default} (the real jar) passes and shows prod
     * {@code frozen} with the gate's sentence, not {@code stuck}; {@code --fail-on frozen} still catches it.
     * The server's clock is moved into a dated window, so the grace period has long passed.
     */
    @Test
    void driftDuringTheFreezeReportsProdFrozenNotStuck() throws Exception {
        String prodWithWindow = "  - name: prod\n    upstream: staging\n    freeze_windows:\n"
                + "      - {name: seed-freeze, start: \"2027-12-20T00:00:00Z\", end: \"2027-12-27T00:00:00Z\"}\n";
        var db = TestDatabases.sqlite(Files.createDirectories(dir.resolve("one")));
        try (TestServer s = new TestServer(db, TestConfig.config(db, null,
                y -> y.replace("  - name: prod\n    upstream: staging\n", prodWithWindow)
                        // the one template outside the group has no release to be behind; out of the way
                        .replace("kinds: [solo]}", "kinds: [solo], pinnable: false}")))) {
            s.clock.freezeAt(Instant.parse("2027-12-01T12:00:00Z"));
            String old = register(s.http, TwoControlPlanes.OLD_VERSION, TwoControlPlanes::oldDigest);
            promoteRelease(s.http, "staging", old);
            promoteRelease(s.http, "prod", old);
            s.clock.freezeAt(Instant.parse("2027-12-02T12:00:00Z"));
            promoteRelease(s.http, "staging", register(s.http, TwoControlPlanes.NEW_VERSION, TwoControlPlanes::newDigest));
            s.clock.freezeAt(Instant.parse("2027-12-22T12:00:00Z"));

            String[] prod = {"--target", "prod=" + s.url(), "--token-env", "prod=PROD_TOKEN"};
            Cli reader = new Cli().env("PROD_TOKEN", TestConfig.READER);
            Cli.Run drift = reader.run(concat(new String[]{"drift", "--fail-on", "default"}, prod));
            assertThat(drift.exit()).as(drift.all()).isZero();
            assertThat(drift.stdout()).contains("FROZEN").doesNotContainIgnoringCase("stuck")
                    .contains("and the promotion gate holds the catch-up back: prod is frozen by window seed-freeze until"
                            + " 2027-12-27T00:00Z (Z)");
            Cli.Run caught = reader.run(concat(new String[]{"drift", "--fail-on", "frozen"}, prod));
            assertThat(caught.exit()).as(caught.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(caught.stderr()).contains("prod/platform-agent/global frozen");
        }
    }

    private static String register(Http http, String version, java.util.function.Function<String, String> digest) {
        StringBuilder images = new StringBuilder();
        for (String t : TestConfig.GROUP) {
            images.append(images.isEmpty() ? "" : ",").append('"').append(t).append("\":\"").append(digest.apply(t))
                    .append('"');
        }
        Http.Response r = http.post("/api/v1/releases", TestConfig.CI, "{\"group\":\"runtime\",\"runtime_version\":\""
                + version + "\",\"git_sha\":\"" + TwoControlPlanes.GIT_SHA + "\",\"images\":{" + images + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    private static void promoteRelease(Http http, String env, String id) {
        Http.Response r = http.post("/api/v1/environments/" + env + "/releases/" + id + "/promote", TestConfig.CI, "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Every prod row is pending and says the window blocks it; {@code --fail-if-pending} exits 3 as ever. */
    private static void assertPlanShowsTheFreeze(Cli.Run plan, String pendingAlsoOn) {
        assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.DRIFT);
        List<String> prodRows = plan.stdout().lines().filter(l -> l.startsWith("prod ")).toList();
        assertThat(prodRows).as(plan.all()).hasSize(TestConfig.GROUP.length).allSatisfy(l -> assertThat(l)
                .contains("blocked: prod is frozen by window seed-freeze until "));
        assertThat(plan.stdout().lines().filter(l -> l.startsWith("staging ")).toList()).as(plan.all())
                .noneMatch(l -> l.contains("blocked"));
        assertThat(plan.stderr()).contains("a promote is still required on").contains("prod ");
        if (pendingAlsoOn.equals("staging")) {
            assertThat(plan.stderr()).contains("staging ");
        }
    }

    private static void seed(Http http, String env, String template) {
        Http.Response r = http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.ADMIN,
                "{\"image_digest\":\"" + TwoControlPlanes.oldDigest(template) + "\",\"runtime_version\":\""
                        + TwoControlPlanes.OLD_VERSION + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
}
