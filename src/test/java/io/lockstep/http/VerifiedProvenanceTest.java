package io.lockstep.http;

import io.lockstep.testing.CiTokenClaims;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.StandInOidcIssuer;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 4 against a real server: an OIDC caller's verified claims are the provenance of
 * every change it makes (promote, seed promote, rollback), marked verified, and what it declares
 * cannot overwrite them; {@code require_provenance: verified} refuses a static token however
 * complete its declared provenance; {@code require_provenance: true} now covers rollbacks.
 * staging: {@code require_provenance: true}, prod: {@code require_provenance: verified}. The GitHub
 * stand-in's rule grants staging, the GitLab one's grants prod.
 */
class VerifiedProvenanceTest {
    @TempDir
    static Path dir;
    static StandInOidcIssuer github;
    static StandInOidcIssuer gitlab;
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        github = new StandInOidcIssuer();
        gitlab = new StandInOidcIssuer();
        var db = TestDatabases.sqlite(dir);
        s = new TestServer(db, TestConfig.config(db, CiTokenClaims.yaml(github.issuer(), gitlab.issuer(), null),
                yaml -> yaml.replace("  - name: staging\n", "  - name: staging\n    require_provenance: true\n")
                        .replace("    upstream: staging\n", "    upstream: staging\n    require_provenance: verified\n")));
    }

    @AfterAll
    static void stop() {
        s.close();
        github.close();
        gitlab.close();
    }

    private static String githubToken() {
        return github.sign(StandInOidcIssuer.fresh(CiTokenClaims.githubActions(github.issuer()), s.clock.instant()));
    }

    private static String gitlabToken() {
        return gitlab.sign(StandInOidcIssuer.fresh(CiTokenClaims.gitlabCi(gitlab.issuer()), s.clock.instant()));
    }

    private static JsonNode newest(String env, String template) {
        Http.Response h = s.http.get("/api/v1/environments/" + env + "/pins/" + template + "/history?limit=1", TestConfig.ADMIN);
        assertThat(h.status()).as(h.body()).isEqualTo(200);
        return h.json().path("entries").get(0);
    }

    @Test
    void anOidcPromoteRecordsItsVerifiedClaimsAndKeepsDeclaredOnesApart() {
        Http.Response ok = s.http.post("/api/v1/environments/staging/pins/solo/promote", githubToken(),
                Json.obj("image_digest", Unique.digest(), "provenance",
                        Map.of("repository", "evil/forged", "ci_run", "https://ci.example/copied/1", "commit", "abc1234")));
        assertThat(ok.status()).as(ok.body()).isIn(200, 201);
        JsonNode pin = ok.json().path("pin");
        assertThat(pin.path("provenance_kind").asText()).isEqualTo("verified");
        JsonNode p = newest("staging", "solo");
        assertThat(p.path("provenance_kind").asText()).isEqualTo("verified");
        JsonNode prov = p.path("provenance");
        assertThat(prov.path("repository").asText()).as("the claim, not the body").isEqualTo("octo-org/octo-repo");
        assertThat(prov.path("run_id").asText()).isEqualTo("example-run-id");
        assertThat(prov.path("iss").asText()).isEqualTo(github.issuer());
        assertThat(prov.path("sub").asText()).isEqualTo("repo:octo-org/octo-repo:environment:prod");
        assertThat(prov.path("oidc_issuer").asText()).isEqualTo("github");
        assertThat(prov.path("oidc_rule").asText()).isEqualTo("octo-repo-main");
        assertThat(prov.path("declared.repository").asText()).isEqualTo("evil/forged");
        assertThat(prov.path("declared.ci_run").asText()).isEqualTo("https://ci.example/copied/1");
        assertThat(prov.has("ci_run")).as("a declared value never sits under a verified key").isFalse();
        assertThat(p.path("promoted_by").asText()).isEqualTo("github:octo-repo-main");
        assertThat(s.http.get("/api/v1/history/verify", TestConfig.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void theSeedPromoteOfAnOidcCallerIsVerifiedToo() {
        Http.Response ok = s.http.post("/cp/admin/runtime-image/promote", githubToken(),
                Json.obj("template_name", "hermes", "image_digest", Unique.digest(), "git_sha", "19f3175",
                        "notes", "seed", "environment", "staging"));
        assertThat(ok.status()).as(ok.body()).isIn(200, 201);
        assertThat(newest("staging", "hermes").path("provenance_kind").asText()).isEqualTo("verified");
    }

    @Test
    void aStaticTokenWithACopiedCiRunIsRefusedWhereVerifiedProvenanceIsRequired() {
        Http.Response refused = s.http.post("/api/v1/environments/prod/pins/codex/promote", TestConfig.CI,
                Json.obj("image_digest", Unique.digest(), "provenance",
                        Map.of("ci_run", "https://github.com/octo-org/octo-repo/actions/runs/42", "commit", "19f3175",
                                "repository", "octo-org/octo-repo")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("VERIFIED_PROVENANCE_REQUIRED");
        assertThat(refused.json().path("retryable").asBoolean()).isFalse();
        assertThat(refused.json().path("error").asText()).contains("prod").contains("declared")
                .doesNotContain("ci_run").doesNotContain("{");
        assertThat(s.http.get("/api/v1/environments/prod/pins/codex", TestConfig.ADMIN).status())
                .as("nothing was written").isEqualTo(404);

        Http.Response verified = s.http.post("/api/v1/environments/prod/pins/codex/promote", gitlabToken(),
                Json.obj("image_digest", Unique.digest()));
        assertThat(verified.status()).as(verified.body()).isIn(200, 201);
        JsonNode e = newest("prod", "codex");
        assertThat(e.path("provenance_kind").asText()).isEqualTo("verified");
        assertThat(e.path("provenance").path("project_path").asText()).isEqualTo("my-group/my-project");
    }

    @Test
    void aRollbackNeedsProvenanceWhereItIsRequiredAndRecordsIt() {
        String first = Unique.digest();
        String second = Unique.digest();
        Map<String, String> declared = Map.of("ci_run", "https://ci.example/run/7", "commit", "19f3175");
        for (String d : new String[]{first, second}) {
            Http.Response r = s.http.post("/api/v1/environments/staging/pins/openclaw/promote", TestConfig.CI,
                    Json.obj("image_digest", d, "provenance", declared));
            assertThat(r.status()).as(r.body()).isIn(200, 201);
        }
        Http.Response bare = s.http.post("/api/v1/environments/staging/pins/openclaw/rollback", TestConfig.CI, "{}");
        assertThat(bare.status()).as(bare.body()).isEqualTo(422);
        assertThat(bare.code()).isEqualTo("PROVENANCE_REQUIRED");
        assertThat(bare.json().path("error").asText()).contains("staging").doesNotContain("ci_run").doesNotContain("e.g.");

        Http.Response declaredRollback = s.http.post("/api/v1/environments/staging/pins/openclaw/rollback", TestConfig.CI,
                Json.obj("provenance", declared));
        assertThat(declaredRollback.status()).as(declaredRollback.body()).isEqualTo(200);
        JsonNode e = newest("staging", "openclaw");
        assertThat(e.path("action").asText()).isEqualTo("rollback");
        assertThat(e.path("to_digest").asText()).isEqualTo(first);
        assertThat(e.path("provenance_kind").asText()).isEqualTo("declared");
        assertThat(e.path("provenance").path("ci_run").asText()).isEqualTo("https://ci.example/run/7");

        Http.Response oidcRollback = s.http.post("/api/v1/environments/staging/pins/openclaw/rollback", githubToken(),
                Json.obj("to_digest", second));
        assertThat(oidcRollback.status()).as(oidcRollback.body()).isEqualTo(200);
        assertThat(newest("staging", "openclaw").path("provenance_kind").asText()).isEqualTo("verified");
    }

    @Test
    void aRollbackByAStaticTokenIsRefusedWhereVerifiedProvenanceIsRequired() {
        String first = Unique.digest();
        for (String d : new String[]{first, Unique.digest()}) {
            Http.Response r = s.http.post("/api/v1/environments/prod/pins/platform-agent/promote", gitlabToken(),
                    Json.obj("image_digest", d));
            assertThat(r.status()).as(r.body()).isIn(200, 201);
        }
        Http.Response refused = s.http.post("/api/v1/environments/prod/pins/platform-agent/rollback", TestConfig.CI,
                Json.obj("provenance", Map.of("ci_run", "https://ci.example/run/7", "commit", "19f3175")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("VERIFIED_PROVENANCE_REQUIRED");
        Http.Response ok = s.http.post("/api/v1/environments/prod/pins/platform-agent/rollback", gitlabToken(), "{}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(newest("prod", "platform-agent").path("to_digest").asText()).isEqualTo(first);
    }

    @Test
    void environmentsShowWhichProvenanceTheyRequire() {
        JsonNode envs = s.http.get("/api/v1/environments", TestConfig.ADMIN).json().path("environments");
        assertThat(envs.get(0).path("required_provenance").asText()).isEqualTo("declared");
        assertThat(envs.get(0).path("require_provenance").asBoolean()).isTrue();
        assertThat(envs.get(1).path("required_provenance").asText()).isEqualTo("verified");
    }

    @Test
    void metricsCountPinsLastMovedWithoutVerifiedProvenancePerEnvironment() {
        String before = s.http.get("/metrics", null).body();
        Http.Response r = s.http.post("/api/v1/environments/staging/pins/claude-code/promote", TestConfig.CI,
                Json.obj("image_digest", Unique.digest(), "provenance", Map.of("ci_run", "r", "commit", "19f3175")));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        String after = s.http.get("/metrics", null).body();
        assertThat(gauge(after, "staging")).isEqualTo(gauge(before, "staging") + 1);
        Http.Response v = s.http.post("/api/v1/environments/staging/pins/claude-code/promote", githubToken(),
                Json.obj("image_digest", Unique.digest()));
        assertThat(v.status()).as(v.body()).isEqualTo(200);
        assertThat(gauge(s.http.get("/metrics", null).body(), "staging")).isEqualTo(gauge(before, "staging"));
    }

    private static double gauge(String metrics, String env) {
        return metrics.lines().filter(l -> l.startsWith("lockstep_pins_unverified{") && l.contains("environment=\"" + env + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no lockstep_pins_unverified for " + env + " in\n" + metrics));
    }
}
