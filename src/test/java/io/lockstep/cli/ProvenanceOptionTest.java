package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --provenance key=value} on promote, publish and rollback: sent as declared provenance on top
 * of what the CLI stamps from CI variables (explicit wins), and a bad entry is exit 2 with one line
 * naming it, before anything is sent.
 */
class ProvenanceOptionTest {
    @TempDir
    static Path dir;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(TestDatabases.sqlite(dir));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("LOCKSTEP_TOKEN", TestConfig.CI));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    private static JsonNode newest(String template) {
        Http.Response h = s.http.get("/api/v1/environments/staging/pins/" + template + "/history?limit=1", TestConfig.ADMIN);
        return h.json().path("entries").get(0);
    }

    @Test
    void explicitEntriesAreSentAndWinOverStampedOnes() {
        InProcessCli.Run run = InProcessCli.run(env("GITLAB_CI", "true", "CI_PIPELINE_URL", "https://gitlab.example/p/1",
                        "CI_COMMIT_SHA", "19f3175"),
                "promote", "--template", "hermes", "--digest", Unique.digest(), "--target", "staging=" + s.url(),
                "--provenance", "ci_run=https://jenkins.example/job/x/9/", "--provenance", "ticket=OPS-7");
        assertThat(run.exit()).as(run.stdout() + run.stderr()).isZero();
        JsonNode e = newest("hermes");
        assertThat(e.path("provenance_kind").asText()).isEqualTo("declared");
        assertThat(e.path("provenance").path("ci_run").asText()).isEqualTo("https://jenkins.example/job/x/9/");
        assertThat(e.path("provenance").path("commit").asText()).as("stamped").isEqualTo("19f3175");
        assertThat(e.path("provenance").path("ci_system").asText()).isEqualTo("gitlab_ci");
        assertThat(e.path("provenance").path("ticket").asText()).isEqualTo("OPS-7");
    }

    @Test
    void rollbackSendsProvenance() {
        String first = Unique.digest();
        for (String d : new String[]{first, Unique.digest()}) {
            assertThat(InProcessCli.run(env(), "promote", "--template", "codex", "--digest", d, "--target",
                    "staging=" + s.url()).exit()).isZero();
        }
        InProcessCli.Run run = InProcessCli.run(env(), "rollback", "--template", "codex", "--target", "staging=" + s.url(),
                "--provenance", "ci_run=https://ci.example/run/5", "--provenance", "commit=19f3175");
        assertThat(run.exit()).as(run.stdout() + run.stderr()).isZero();
        JsonNode e = newest("codex");
        assertThat(e.path("action").asText()).isEqualTo("rollback");
        assertThat(e.path("to_digest").asText()).isEqualTo(first);
        assertThat(e.path("provenance").path("ci_run").asText()).isEqualTo("https://ci.example/run/5");
    }

    @Test
    void aBadEntryIsExitTwoWithOneLineAndNothingSent() {
        String digest = Unique.digest();
        String[][] bad = {
                {"promote", "--template", "openclaw", "--digest", digest, "--target", "staging=" + s.url(), "--provenance", "CI-Run=x"},
                {"promote", "--template", "openclaw", "--digest", digest, "--target", "staging=" + s.url(), "--provenance", "novalue"},
                {"rollback", "--template", "openclaw", "--target", "staging=" + s.url(), "--provenance", "=x"},
                {"publish", "--release", "does-not-matter.yaml", "--target", "staging=" + s.url(), "--provenance", "ci_run=a\tb"}};
        for (String[] args : bad) {
            InProcessCli.Run run = InProcessCli.run(env(), args);
            assertThat(run.exit()).as(String.join(" ", args) + "\n" + run.stderr()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stderr().lines().filter(l -> l.contains("--provenance")).count())
                    .as(run.stderr()).isEqualTo(1);
            assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(s.http.get("/api/v1/environments/staging/pins/openclaw", TestConfig.ADMIN).status())
                .as("nothing was written").isEqualTo(404);
    }
}
