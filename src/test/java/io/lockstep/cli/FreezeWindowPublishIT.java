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
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

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
        }
    }

    private static void seed(Http http, String env, String template) {
        Http.Response r = http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.ADMIN,
                "{\"image_digest\":\"" + TwoControlPlanes.oldDigest(template) + "\",\"runtime_version\":\""
                        + TwoControlPlanes.OLD_VERSION + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
}
