package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.CiTokenClaims;
import io.lockstep.testing.Http;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.StandInOidcIssuer;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 4 the way a pipeline meets it: a real server process trusting a stand-in CI issuer on
 * loopback (GitLab's documented claims), the real jar as CLI. staging requires provenance
 * ({@code true}), prod requires verified provenance.
 * <ol>
 *   <li>a CI publish to prod with an OIDC ID token records verified provenance, visible in
 *       {@code lockstep history} and the API;</li>
 *   <li>the same kind of change with the shared static token and a copied CI run URL is refused
 *       ({@code 403 VERIFIED_PROVENANCE_REQUIRED}), the CLI exits non-zero naming environment,
 *       template and reason;</li>
 *   <li>a release published by hand into staging (static token, declared provenance, accepted)
 *       makes {@code lockstep drift --fail-on unverified} exit 3 naming environment and template.</li>
 * </ol>
 * No part of the OIDC token appears in any CLI output or the server's log.
 */
class VerifiedProvenanceIT {
    @TempDir
    Path dir;

    private Path release(String version) throws Exception {
        StringBuilder images = new StringBuilder();
        for (String member : TestConfig.GROUP) {
            images.append("  ").append(member).append(": \"").append(Unique.digest()).append("\"\n");
        }
        Path file = dir.resolve("release-" + version + ".yaml");
        Files.writeString(file, "group: runtime\nruntime_version: " + version + "\ngit_sha: 19f3175\nimages:\n" + images);
        return file;
    }

    @Test
    void verifiedProvenanceIsRecordedAndNothingElsePassesForIt() throws Exception {
        try (StandInOidcIssuer github = new StandInOidcIssuer(); StandInOidcIssuer gitlab = new StandInOidcIssuer()) {
            String config = (TestConfig.yaml(null) + CiTokenClaims.yaml(github.issuer(), gitlab.issuer(), null))
                    .replace("  - name: staging\n", "  - name: staging\n    require_provenance: true\n")
                    .replace("    upstream: staging\n", "    upstream: staging\n    require_provenance: verified\n");
            ServerProcess.Spec spec = ServerProcess.spec(dir.resolve("server"))
                    .database(TestDatabases.sqlite(dir.resolve("db"))).env("LOCKSTEP_LOG_LEVEL", "DEBUG").config(config);
            List<String> outputs = new ArrayList<>();
            String token = gitlab.sign(StandInOidcIssuer.fresh(CiTokenClaims.gitlabCi(gitlab.issuer()), Instant.now()));
            try (ServerProcess server = spec.start()) {
                String prod = "prod=" + server.url();
                String staging = "staging=" + server.url();

                // 1. CI publishes to prod with its OIDC ID token (and GitLab's variables, which stay declared extras).
                Cli.Run published = new Cli().env("LOCKSTEP_TOKEN", token).env("GITLAB_CI", "true")
                        .env("CI_PIPELINE_URL", "https://gitlab.example.com/my-group/my-project/-/pipelines/574")
                        .env("CI_COMMIT_SHA", "714a629c0b401fdce83e847fc9589983fc6f46bc")
                        .run("publish", "--release", release("v1.0.0").toString(), "--target", prod);
                outputs.add(published.all());
                assertThat(published.exit()).as(published.all()).isZero();

                Cli.Run history = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER)
                        .run("history", "--template", "hermes", "--target", prod);
                outputs.add(history.all());
                assertThat(history.exit()).as(history.all()).isZero();
                assertThat(history.stdout()).contains("PROVENANCE").contains("verified");
                Cli.Run pins = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER).run("pins", "--target", prod);
                outputs.add(pins.all());
                assertThat(pins.stdout()).contains("verified");

                JsonNode entry = server.http().get("/api/v1/environments/prod/pins/hermes/history?limit=1", TestConfig.ADMIN)
                        .json().path("entries").get(0);
                assertThat(entry.path("provenance_kind").asText()).isEqualTo("verified");
                assertThat(entry.path("provenance").path("project_path").asText()).isEqualTo("my-group/my-project");
                assertThat(entry.path("provenance").path("pipeline_id").asText()).isEqualTo("574");
                assertThat(entry.path("provenance").path("declared.ci_run").asText())
                        .isEqualTo("https://gitlab.example.com/my-group/my-project/-/pipelines/574");
                assertThat(entry.path("promoted_by").asText()).isEqualTo("gitlab:my-project-branches");

                // 2. The shared static token with a copied CI run URL cannot pass for CI in prod.
                String digest = Unique.digest();
                Cli.Run forged = new Cli().env("LOCKSTEP_TOKEN", TestConfig.CI).env("GITLAB_CI", "true")
                        .env("CI_PIPELINE_URL", "https://gitlab.example.com/my-group/my-project/-/pipelines/574")
                        .run("promote", "--template", "codex", "--digest", digest, "--target", prod,
                                "--provenance", "ci_run=https://gitlab.example.com/my-group/my-project/-/pipelines/574",
                                "--provenance", "commit=714a629c0b401fdce83e847fc9589983fc6f46bc");
                outputs.add(forged.all());
                assertThat(forged.exit()).as(forged.all()).isNotZero().isNotEqualTo(ExitCodes.USAGE);
                assertThat(forged.all()).contains("prod").contains("codex").contains("VERIFIED_PROVENANCE_REQUIRED");
                JsonNode codex = server.http().get("/api/v1/environments/prod/pins/codex", TestConfig.ADMIN).json();
                assertThat(codex.path("image_digest").asText()).as("nothing written").isNotEqualTo(digest);

                Http.Response rollback = server.http().post("/api/v1/environments/prod/pins/codex/rollback",
                        TestConfig.CI, "{\"provenance\":{\"ci_run\":\"x\",\"commit\":\"19f3175\"}}");
                assertThat(rollback.status()).as(rollback.body()).isEqualTo(403);
                assertThat(rollback.code()).isEqualTo("VERIFIED_PROVENANCE_REQUIRED");

                // 3. A release published by hand into staging (declared, accepted there) is flagged by drift.
                Cli.Run byHand = new Cli().env("LOCKSTEP_TOKEN", TestConfig.CI)
                        .run("publish", "--release", release("v1.0.1").toString(), "--target", staging,
                                "--provenance", "ci_run=https://gitlab.example.com/my-group/my-project/-/pipelines/574",
                                "--provenance", "commit=19f3175");
                outputs.add(byHand.all());
                assertThat(byHand.exit()).as(byHand.all()).isZero();
                Cli.Run drift = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER)
                        .run("drift", "--target", staging, "--fail-on", "unverified");
                outputs.add(drift.all());
                assertThat(drift.exit()).as(drift.all()).isEqualTo(3);
                assertThat(drift.stderr()).contains("staging/hermes/global unverified");
                assertThat(drift.all()).contains("not by a verified CI identity");
                Cli.Run prodDrift = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER)
                        .run("drift", "--target", prod, "--fail-on", "unverified");
                outputs.add(prodDrift.all());
                assertThat(prodDrift.stderr()).as("prod's pins were moved by verified CI").doesNotContain("prod/hermes/global unverified");

                String log = server.stdoutText() + server.stderrText();
                for (String part : token.split("\\.")) {
                    assertThat(log).as("server log").doesNotContain(part);
                    for (String out : outputs) {
                        assertThat(out).as("CLI output").doesNotContain(part);
                    }
                }
            }
        }
    }
}
