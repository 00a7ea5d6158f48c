package io.lockstep.cli;

import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 1, replayed the way the seed's pipeline met it: a real server process with the whole
 * group on one release, then a pipeline step that still calls the seed endpoint for claude-code only
 * (no registry watch configured). The drift gate of the real jar must fail, naming prod, the group's
 * templates and why.
 */
class SeedEndpointSplitIT {
    @TempDir
    Path dir;

    @Test
    void seedEndpointPromoteOfOneMemberSplitsTheGroupAndTheDefaultGateFails() throws Exception {
        // the seed's group only (no never-pinned solo template, so the gate is clean before the incident)
        String config = TestConfig.yaml(null).lines().filter(l -> !l.contains("name: solo"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        ServerProcess.Spec spec = ServerProcess.spec(dir).database(TestDatabases.sqlite(dir)).config(config);
        try (ServerProcess server = spec.start()) {
            Map<String, String> images = new LinkedHashMap<>();
            for (String t : TestConfig.GROUP) {
                images.put(t, Unique.digest());
            }
            Http.Response registered = server.http().post("/api/v1/releases", TestConfig.CI,
                    Json.obj("group", "runtime", "runtime_version", "v0.3.42", "git_sha", "19f3175", "images", images));
            assertThat(registered.status()).as(registered.body()).isEqualTo(201);
            for (String env : new String[]{"staging", "prod"}) {
                Http.Response r = server.http().post("/api/v1/environments/" + env + "/releases/runtime@v0.3.42/promote",
                        TestConfig.CI, "{}");
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
            Cli cli = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER);
            assertThat(cli.run("drift", "--target", "prod=" + server.url(), "--fail-on", "default").exit())
                    .as("the group on one release is clean").isZero();

            // the pipeline step: curl -X POST /cp/admin/runtime-image/promote for claude-code only
            Http.Response seed = server.http().post("/cp/admin/runtime-image/promote", TestConfig.CI,
                    "{\"template_name\":\"claude-code\",\"image_digest\":\"" + Unique.digest()
                            + "\",\"git_sha\":\"19f3175\",\"notes\":\"v0.3.43\",\"environment\":\"prod\"}");
            assertThat(seed.status()).as("the seed endpoint keeps its contract: " + seed.body()).isEqualTo(200);

            Cli.Run gate = cli.run("drift", "--target", "prod=" + server.url(), "--fail-on", "default");

            assertThat(gate.exit()).as(gate.all()).isEqualTo(ExitCodes.DRIFT);
            assertThat(gate.stderr()).contains("drift matched --fail-on default")
                    .contains("prod/claude-code/global unknown")
                    .contains("prod/platform-agent/global split")
                    .contains("prod/hermes/global split")
                    .doesNotContain("staging/");
            assertThat(gate.stdout()).contains("platform-agent in prod is on v0.3.42 while group runtime member"
                    + " claude-code was moved to a digest that no registered release of the group holds");
        }
    }
}
