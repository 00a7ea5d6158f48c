package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.service.fleet.SeedIncident;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.lockstep.service.fleet.SeedIncident.FIX;
import static io.lockstep.service.fleet.SeedIncident.OLD;
import static io.lockstep.service.fleet.SeedIncident.digest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance of issue 4 end to end: the seed incident on a real server (both stores), read through
 * {@code lockstep drift} and {@code lockstep rollout status}, then fixed by promoting the release
 * and redeploying the concierges. Time crosses the grace period through the server's clock.
 */
class DriftAndRolloutCliTest {
    private static final Map<String, String> ENV = Map.of("LOCKSTEP_TOKEN", TestConfig.READER);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void seedIncidentIsCaughtByDriftAndConvergenceAndClearedByPromotingTheRelease(StoreKind kind) throws Exception {
        try (TestServer s = new TestServer(kind.create(dir))) {
            SeedIncident seed = new SeedIncident(s).replay();
            String target = "local=" + s.url();
            for (String env : SeedIncident.ENVIRONMENTS) {
                seed.send(seed.reports(env, "platform", env + "-concierge", 40, digest("platform-agent", OLD)));
                seed.send(seed.reports(env, "workspace", env + "-workspace", 10, digest("claude-code", FIX)));
            }

            InProcessCli.Run split = InProcessCli.run(ENV, "drift", "--target", target, "--fail-on", "stuck,split");
            assertThat(split.exit()).as(split.stderr()).isEqualTo(ExitCodes.DRIFT);
            assertThat(split.stdout()).containsPattern("local\\s+staging\\s+platform-agent\\s+global\\s+SPLIT \\(\\+in_flight\\)\\s+v0\\.3\\.40\\s+v0\\.3\\.43\\s+1")
                    .containsPattern("local\\s+prod\\s+platform-agent\\s+global\\s+SPLIT")
                    .containsPattern("local\\s+prod\\s+claude-code\\s+global\\s+CURRENT\\s+v0\\.3\\.43");
            assertThat(split.stderr()).contains("drift matched --fail-on stuck,split").contains("prod/platform-agent/global split");

            s.clock.advance(Duration.ofMinutes(26)); // the fix was registered 31 minutes ago
            for (String env : SeedIncident.ENVIRONMENTS) { // instances keep reporting well within the TTL
                seed.send(seed.reports(env, "platform", env + "-concierge", 40, digest("platform-agent", OLD)));
                seed.send(seed.reports(env, "workspace", env + "-workspace", 10, digest("claude-code", FIX)));
            }
            InProcessCli.Run stuck = InProcessCli.run(ENV, "drift", "--target", target, "--fail-on", "stuck,split");
            assertThat(stuck.exit()).isEqualTo(ExitCodes.DRIFT);
            assertThat(stuck.stdout()).containsPattern("local\\s+prod\\s+platform-agent\\s+global\\s+STUCK \\(\\+split\\)")
                    .containsPattern("local\\s+staging\\s+platform-agent\\s+global\\s+STUCK \\(\\+split\\)")
                    .contains("platform-agent in prod is 1 release behind");
            // the same drift without --fail-on is printed but does not fail the job
            assertThat(InProcessCli.run(ENV, "drift", "--target", target).exit()).isEqualTo(ExitCodes.OK);

            // the fix goes out the way a pipeline does it: lockstep publish to both environments
            StringBuilder release = new StringBuilder("group: runtime\nruntime_version: " + FIX + "\nimages:\n");
            for (String template : TestConfig.GROUP) {
                release.append("  ").append(template).append(": ").append(digest(template, FIX)).append('\n');
            }
            Path releaseFile = dir.resolve("release.yaml");
            Files.writeString(releaseFile, release.toString());
            InProcessCli.Run published = InProcessCli.run(Map.of("LOCKSTEP_TOKEN", TestConfig.CI), "publish",
                    "--release", releaseFile.toString(), "--target", "staging=" + s.url(), "--target", "prod=" + s.url());
            assertThat(published.exit()).as(published.stdout() + published.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(published.stdout()).containsPattern("prod\\s+platform-agent\\s+sha256:\\w+… → sha256:\\w+…\\s+updated");
            InProcessCli.Run stale = InProcessCli.run(ENV, "rollout", "status", "--target", target,
                    "--template", "platform-agent", "--wait", "--timeout", "3s", "--interval", "100ms");
            assertThat(stale.exit()).as(stale.stdout() + stale.stderr()).isEqualTo(ExitCodes.FAILED);
            assertThat(stale.stdout()).containsPattern("local\\s+prod\\s+platform-agent\\s+global\\s+sha256:\\w+\\s+\\S+\\s+40\\s+0\\s+0%")
                    .contains(digest("platform-agent", OLD).substring(0, 19) + " x40 [prod-concierge-");
            assertThat(stale.stderr()).contains("not converged to 100%").contains("local prod/platform-agent/global at 0% (40 stale)");

            // the concierges are redeployed and report the fixed digest
            s.clock.advance(Duration.ofMinutes(1));
            for (String env : SeedIncident.ENVIRONMENTS) {
                seed.send(seed.reports(env, "platform", env + "-concierge", 40, digest("platform-agent", FIX)));
            }
            InProcessCli.Run converged = InProcessCli.run(ENV, "rollout", "status", "--target", target, "--wait",
                    "--timeout", "10s", "--min-converged", "100%");
            assertThat(converged.exit()).as(converged.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(converged.stdout()).contains("Converged: every pin is at or above 100%.")
                    .containsPattern("local\\s+prod\\s+platform-agent\\s+global\\s+sha256:\\w+\\s+\\S+\\s+40\\s+40\\s+100%");

            InProcessCli.Run clean = InProcessCli.run(ENV, "drift", "--target", target, "--fail-on", "stuck,split");
            assertThat(clean.exit()).as(clean.stdout() + clean.stderr()).isEqualTo(ExitCodes.OK);
            JsonNode drift = s.http.get("/api/v1/drift", TestConfig.READER).json();
            for (JsonNode f : drift.path("findings")) {
                if (!f.path("template").asText().equals("solo")) { // solo is never pinned in this config
                    assertThat(f.path("status").asText()).as(f.toString()).isEqualTo("current");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prodServerOnAReleaseItsStagingServerNeverHadIsAheadOfUpstream(StoreKind kind) {
        try (TestServer staging = new TestServer(kind.create(dir.resolve("a")));
             TestServer prod = new TestServer(kind.create(dir.resolve("b")))) {
            SeedIncident a = new SeedIncident(staging);
            staging.clock.freezeAt(SeedIncident.T0);
            a.register(OLD);
            a.promoteRelease("staging", OLD);
            SeedIncident b = new SeedIncident(prod);
            prod.clock.freezeAt(SeedIncident.T0);
            b.register(OLD);
            prod.clock.advance(Duration.ofHours(1));
            b.register(FIX);
            b.promoteRelease("prod", FIX);

            String[] targets = {"--target", "staging=" + staging.url(), "--target", "prod=" + prod.url()};
            InProcessCli.Run run = InProcessCli.run(ENV, concat(targets, "drift", "--fail-on", "ahead_of_upstream"));
            assertThat(run.exit()).as(run.stdout() + run.stderr()).isEqualTo(ExitCodes.DRIFT);
            assertThat(run.stdout()).contains("Across targets (staging from staging, prod from prod):")
                    .contains("AHEAD_OF_UPSTREAM prod@prod platform-agent/global: platform-agent in prod is on v0.3.43"
                            + " but its upstream staging is only on v0.3.40");
            // each server alone sees nothing out of order
            assertThat(InProcessCli.run(ENV, "drift", "--target", "prod=" + prod.url(), "--fail-on", "ahead_of_upstream")
                    .exit()).isEqualTo(ExitCodes.OK);

            InProcessCli.Run json = InProcessCli.run(ENV, concat(targets, "drift", "--json"));
            assertThat(json.exit()).isEqualTo(ExitCodes.OK);
            assertThat(json.stdout()).contains("\"ahead_of_upstream\"").contains("\"status\" : \"ahead_of_upstream\"");

            // same-named environments on both servers that disagree, and an unreachable target
            b.promoteRelease("staging", FIX);
            InProcessCli.Run both = InProcessCli.run(ENV, "drift", "--target", "a=" + staging.url(), "--target",
                    "b=" + prod.url(), "--fail-on", "disagree");
            assertThat(both.exit()).as(both.stdout()).isEqualTo(ExitCodes.DRIFT);
            assertThat(both.stdout()).contains("DISAGREE platform-agent disagrees across staging");
            InProcessCli.Run down = InProcessCli.run(ENV, concat(targets, "drift", "--target", "gone=http://127.0.0.1:1"));
            assertThat(down.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(down.stderr()).contains("gone: cannot read drift: connection failed");
            assertThat(down.stdout()).containsPattern("gone\\s+-\\s+-\\s+-\\s+UNREADABLE");
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void badOptionsAreOneLineAndExit2(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir))) {
            InProcessCli.Run bad = InProcessCli.run(ENV, "drift", "--target", "x=" + s.url(), "--fail-on", "stuk");
            assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.stderr()).contains("unknown drift status \"stuk\"");
            InProcessCli.Run badInDefault = InProcessCli.run(ENV, "drift", "--target", "x=" + s.url(), "--fail-on",
                    "default,stuk");
            assertThat(badInDefault.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(badInDefault.stderr().lines().findFirst().orElseThrow()).contains("unknown drift status \"stuk\"")
                    .endsWith(", current, disagree or default.");
            InProcessCli.Run pct = InProcessCli.run(ENV, "rollout", "status", "--target", "x=" + s.url(),
                    "--min-converged", "150%");
            assertThat(pct.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(pct.stderr()).contains("--min-converged must be a percentage");
            InProcessCli.Run noToken = InProcessCli.run(Map.of(), "drift", "--target", "x=" + s.url());
            assertThat(noToken.exit()).isEqualTo(ExitCodes.USAGE);
            Http.Response r = s.http.get("/api/v1/drift", TestConfig.READER);
            assertThat(r.status()).isEqualTo(200);
        }
    }

    private static String[] concat(String[] targets, String... rest) {
        String[] out = new String[rest.length + targets.length];
        // the subcommand (and a nested one) comes first, then its options
        int split = rest[0].equals("rollout") ? 2 : 1;
        System.arraycopy(rest, 0, out, 0, split);
        System.arraycopy(targets, 0, out, split, targets.length);
        System.arraycopy(rest, split, out, split + targets.length, rest.length - split);
        return out;
    }
}
