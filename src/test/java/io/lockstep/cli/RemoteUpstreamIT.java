package io.lockstep.cli;

import io.lockstep.testing.Http;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 3, replayed as a pipeline meets it: staging and prod are separate control planes
 * (separate processes); prod's server hosts prod only and names staging's server as its upstream
 * ({@code upstream: {url, environment, token_env}}), with a read token limited to staging in a
 * variable set on the prod process. The gate reads prod alone and must see prod behind staging, with
 * no empty local staging reporting MISSING; with staging's server gone it must say so loudly, while
 * resolve on prod keeps answering.
 */
class RemoteUpstreamIT {
    private static final String UPSTREAM_TOKEN = TestConfig.STAGING_READER;

    @TempDir
    Path dir;

    static String stagingConfig() {
        return TestConfig.yaml("drift:\n  grace_period: 1s\n").lines().filter(l -> !l.contains("name: solo"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** prod only; tokens limited to staging would name an environment this server does not host */
    static String prodConfig(String stagingUrl) {
        String yaml = stagingConfig().replace("""
                  - name: staging
                  - name: prod
                    upstream: staging
                """, """
                  - name: prod
                    upstream: {url: '%s', environment: staging, token_env: LOCKSTEP_UPSTREAM_TOKEN, cache_ttl: 0s, timeout: 2s}
                """.formatted(stagingUrl));
        assertThat(yaml).contains("token_env: LOCKSTEP_UPSTREAM_TOKEN");
        return yaml.lines().filter(l -> !l.contains("environments: [staging]")).collect(Collectors.joining("\n", "", "\n"));
    }

    private Path release(String version) throws Exception {
        StringBuilder b = new StringBuilder("group: runtime\nruntime_version: " + version + "\ngit_sha: "
                + TwoControlPlanes.GIT_SHA + "\nimages:\n");
        for (String t : TestConfig.GROUP) {
            b.append("  ").append(t).append(": ").append(TestConfig.digest(t + "@" + version)).append('\n');
        }
        return Files.writeString(dir.resolve("release-" + version + ".yaml"), b.toString());
    }

    @Test
    void prodOnlyServerSeesItsRemoteUpstreamAheadAndSaysSoLoudlyWhenItIsGone() throws Exception {
        Path sDir = Files.createDirectories(dir.resolve("staging"));
        Path pDir = Files.createDirectories(dir.resolve("prod"));
        List<Cli.Run> runs = new ArrayList<>();
        try (ServerProcess staging = ServerProcess.spec(sDir).database(TestDatabases.sqlite(sDir)).config(stagingConfig())
                .start();
             ServerProcess prod = ServerProcess.spec(pDir).database(TestDatabases.sqlite(pDir))
                     .config(prodConfig(staging.url())).env("LOCKSTEP_UPSTREAM_TOKEN", UPSTREAM_TOKEN).start()) {
            String[] both = {"--target", "staging=" + staging.url(), "--target", "prod=" + prod.url(),
                    "--token-env", "staging=STAGING_TOKEN", "--token-env", "prod=PROD_TOKEN"};
            String[] prodAlone = {"--target", "prod=" + prod.url(), "--token-env", "prod=PROD_TOKEN"};
            Cli ci = new Cli().env("STAGING_TOKEN", TestConfig.CI).env("PROD_TOKEN", TestConfig.CI);
            Cli reader = new Cli().env("PROD_TOKEN", TestConfig.READER);

            Cli.Run first = ci.run(concat(new String[]{"publish", "--release", release("v0.3.42").toString()}, both));
            runs.add(first);
            assertThat(first.exit()).as(first.all()).isZero();
            Cli.Run calm = reader.run(concat(new String[]{"drift", "--fail-on", "default"}, prodAlone));
            runs.add(calm);
            assertThat(calm.exit()).as("both on v0.3.42, no local staging to be MISSING: " + calm.all()).isZero();

            // staging moves on; prod's step never runs (or its registration was refused): prod never learns v0.3.43
            Cli.Run second = new Cli().env("STAGING_TOKEN", TestConfig.CI).run("publish", "--release",
                    release("v0.3.43").toString(), "--target", "staging=" + staging.url(), "--token-env",
                    "staging=STAGING_TOKEN");
            runs.add(second);
            assertThat(second.exit()).as(second.all()).isZero();
            Thread.sleep(1_500); // staging has now run v0.3.43 for longer than the 1 s grace period

            Cli.Run behind = reader.run(concat(new String[]{"drift", "--fail-on", "default"}, prodAlone));
            runs.add(behind);
            assertThat(behind.exit()).as(behind.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(behind.stderr()).contains("prod/claude-code/global behind_upstream")
                    .contains("prod/platform-agent/global behind_upstream");
            assertThat(behind.stdout()).contains("its upstream staging at " + staging.url() + " has been on v0.3.43");
            assertThat(behind.all()).doesNotContainIgnoringCase("missing").doesNotContain("staging/");

            staging.stop();
            Cli.Run gone = reader.run(concat(new String[]{"drift", "--fail-on", "default"}, prodAlone));
            runs.add(gone);
            assertThat(gone.exit()).as(gone.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(gone.stderr()).contains("prod/claude-code/global upstream_unreachable");
            assertThat(gone.stdout()).contains("could not be read (GET " + staging.url() + "/api/v1/environments/staging/pins"
                    + " could not connect");

            Http.Response resolve = prod.http().get("/api/v1/resolve?environment=prod&template=claude-code",
                    TestConfig.READER);
            assertThat(resolve.status()).as(resolve.body()).isEqualTo(200);
            assertThat(resolve.body()).contains(TestConfig.digest("claude-code@v0.3.42"));

            for (Cli.Run r : runs) {
                assertThat(r.all()).doesNotContain(UPSTREAM_TOKEN);
            }
            assertThat(prod.stdoutText() + prod.stderrText()).doesNotContain(UPSTREAM_TOKEN);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
