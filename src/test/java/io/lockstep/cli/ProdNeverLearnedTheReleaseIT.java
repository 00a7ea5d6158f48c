package io.lockstep.cli;

import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 2, replayed as a pipeline meets it: two control planes in their own processes
 * (staging, prod), the real jar as CLI. The pipeline publishes v0.3.42 everywhere, then v0.3.43 with a
 * prod token that may not write: prod refuses the registration (403), the pipeline ignores the
 * exit code. Prod's own server never learned v0.3.43 and calls itself current; drift across both
 * targets must not.
 */
class ProdNeverLearnedTheReleaseIT {
    @TempDir
    Path dir;

    private static String config() {
        return TestConfig.yaml("drift:\n  grace_period: 1s\n").lines().filter(l -> !l.contains("name: solo"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private Path release(String version, String suffix) throws Exception {
        StringBuilder b = new StringBuilder("group: runtime\nruntime_version: " + version + "\ngit_sha: "
                + TwoControlPlanes.GIT_SHA + "\nimages:\n");
        for (String t : TestConfig.GROUP) {
            b.append("  ").append(t).append(": ").append(TestConfig.digest(t + "@" + version + suffix)).append('\n');
        }
        return Files.writeString(dir.resolve("release-" + version + ".yaml"), b.toString());
    }

    @Test
    void prodBehindStagingAcrossServersFailsTheDefaultGateAndPlanStaysPending() throws Exception {
        Path sDir = Files.createDirectories(dir.resolve("staging"));
        Path pDir = Files.createDirectories(dir.resolve("prod"));
        try (ServerProcess staging = ServerProcess.spec(sDir).database(TestDatabases.sqlite(sDir)).config(config()).start();
             ServerProcess prod = ServerProcess.spec(pDir).database(TestDatabases.sqlite(pDir)).config(config()).start()) {
            String[] targets = {"--target", "staging=" + staging.url(), "--target", "prod=" + prod.url(),
                    "--token-env", "staging=STAGING_TOKEN", "--token-env", "prod=PROD_TOKEN"};
            Cli ci = new Cli().env("STAGING_TOKEN", TestConfig.CI).env("PROD_TOKEN", TestConfig.CI);
            Path v42 = release("v0.3.42", "");
            Cli.Run first = ci.run(concat(new String[]{"publish", "--release", v42.toString()}, targets));
            assertThat(first.exit()).as(first.all()).isZero();

            // the pipeline step with the wrong prod secret, continue-on-error. A token limited to staging would
            // still register the (global) release on prod and only have its promotes refused; a read-only
            // token is refused at registration, so prod's server never learns v0.3.43 at all.
            Path v43 = release("v0.3.43", "");
            Cli.Run refused = new Cli().env("STAGING_TOKEN", TestConfig.CI).env("PROD_TOKEN", TestConfig.READER)
                    .run(concat(new String[]{"publish", "--release", v43.toString()}, targets));
            assertThat(refused.exit()).as(refused.all()).isEqualTo(ExitCodes.FAILED);
            assertThat(refused.all()).contains("403");
            assertThat(prod.http().get("/api/v1/releases", TestConfig.READER).body()).doesNotContain("v0.3.43");

            Cli reader = new Cli().env("STAGING_TOKEN", TestConfig.READER).env("PROD_TOKEN", TestConfig.READER);
            Cli.Run alone = reader.run("drift", "--target", "prod=" + prod.url(), "--token-env", "prod=PROD_TOKEN",
                    "--fail-on", "default");
            assertThat(alone.exit()).as("prod's own server never learned v0.3.43: " + alone.all()).isZero();

            Thread.sleep(1_500); // staging has now run v0.3.43 for longer than the 1 s grace period
            Cli.Run drift = reader.run(concat(new String[]{"drift", "--fail-on", "default"}, targets));

            assertThat(drift.exit()).as(drift.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(drift.stderr()).contains("across targets prod/platform-agent/global behind_upstream")
                    .contains("across targets prod/claude-code/global behind_upstream");
            assertThat(drift.stdout()).containsPattern("BEHIND_UPSTREAM prod@prod platform-agent/global: platform-agent"
                    + " in prod .*Its upstream staging has been on v0\\.3\\.43 \\(sha256:\\w{12}\\) for \\d+s\\.");

            Cli.Run plan = ci.run(concat(new String[]{"plan", "--release", v43.toString(), "--fail-if-pending"}, targets));
            assertThat(plan.exit()).as(plan.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(plan.stderr()).contains("a promote is still required on prod claude-code, prod platform-agent");
            assertThat(plan.stderr()).doesNotContain("staging claude-code");
            Cli.Run planned = ci.run(concat(new String[]{"plan", "--release", v43.toString()}, targets));
            assertThat(planned.exit()).as("without the flag plan only reports").isZero();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
