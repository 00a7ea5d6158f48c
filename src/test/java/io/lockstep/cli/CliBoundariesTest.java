package io.lockstep.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.cli.TwoControlPlanes.newDigest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, CLI items 14, 15, 17, 18 and 19, in this JVM against real servers ({@link TwoControlPlanes}):
 * bad targets, plan and publish agreeing, secrets never echoed, server text that cannot forge CI
 * workflow commands, and {@code --json} that stays one document.
 */
class CliBoundariesTest extends TwoControlPlanesBase {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Map<String, String> TOKENS = Map.of("STAGING_TOKEN", TestConfig.CI, "PROD_TOKEN", TestConfig.CI,
            "LOCKSTEP_TOKEN", TestConfig.CI);

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>(TOKENS);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<>(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(String[]::new);
    }

    /** Exactly one JSON document, nothing before or after it. */
    private static JsonNode oneDocument(String stdout) throws IOException {
        return STRICT.readTree(stdout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---- item 14: bad or unreachable targets are one clear line or failed rows, never a crash

    @Test
    void aTargetUrlWithAnImpossiblePortIsOneUsageLineAndWellFormedJson() throws Exception {
        String release = cps.seedRelease().toString();

        InProcessCli.Run text = InProcessCli.run(env(), "publish", "--release", release, "--target", "s=http://127.0.0.1:99999");
        assertThat(text.exit()).as(text.stderr()).isEqualTo(ExitCodes.USAGE);
        assertThat(text.stderr()).contains("lockstep: target s: port 99999 is not a TCP port").doesNotContain("unexpected failure");
        assertThat(text.stderr().lines().filter(l -> l.startsWith("lockstep: target s:"))).hasSize(1);

        InProcessCli.Run json = InProcessCli.run(env("GITHUB_ACTIONS", "true"), "publish", "--json", "--release", release,
                "--target", "s=http://127.0.0.1:99999");
        assertThat(json.exit()).isEqualTo(ExitCodes.USAGE);
        JsonNode doc = oneDocument(json.stdout());
        assertThat(doc.path("ok").asBoolean(true)).isFalse();
        assertThat(doc.path("exit_code").asInt()).isEqualTo(ExitCodes.USAGE);
        assertThat(doc.path("problems").toString()).contains("port 99999");
        assertThat(json.stderr()).containsPattern("(?m)^::error title=lockstep publish%3A refused::target s: port 99999");
    }

    @Test
    void publishWithNoReadableTargetFailsEveryRowInTextJsonAndAnnotations() throws Exception {
        String release = cps.seedRelease().toString();
        String down = "s=http://127.0.0.1:" + freePort();

        InProcessCli.Run text = InProcessCli.run(env("GITHUB_ACTIONS", "true"), "publish", "--release", release, "--target", down);
        assertThat(text.exit()).as(text.stdout() + text.stderr()).isEqualTo(ExitCodes.FAILED);
        assertThat(text.stderr()).doesNotContain("unexpected failure");
        assertThat(text.stdout()).containsPattern("(?m)^s\\s+platform-agent\\s.*FAILED\\s+cannot read GET /cp/runtimes: connection failed")
                .contains("publish runtime@v0.3.43: FAILED on s (5 failed)")
                .containsPattern("(?m)^::error title=lockstep publish%3A s platform-agent::");

        InProcessCli.Run json = InProcessCli.run(env("GITHUB_ACTIONS", "true"), "publish", "--json", "--release", release,
                "--target", down);
        assertThat(json.exit()).isEqualTo(ExitCodes.FAILED);
        JsonNode doc = oneDocument(json.stdout());
        assertThat(doc.path("results")).hasSize(5);
        doc.path("results").forEach(r -> assertThat(r.path("status").asText()).isEqualTo("FAILED"));
    }

    // ---- item 15: plan and publish give one verdict

    @Test
    void planRefusesExactlyWhatPublishRefusesWithTheSameLinesAndExitCode() throws Exception {
        Path incomplete = cps.release("incomplete.yaml", Files.readString(cps.seedRelease())
                .lines().filter(l -> !l.contains("platform-agent")).reduce("", (a, b) -> a + b + "\n"));
        Path unknownGroup = cps.release("nogroup.yaml", Files.readString(cps.seedRelease()).replace("group: runtime", "group: ghosts"));
        Path strayTemplate = cps.release("stray.yaml", Files.readString(cps.seedRelease()) + "  ghost: " + newDigest("ghost") + "\n");
        for (Path release : List.of(incomplete, unknownGroup, strayTemplate)) {
            String before = TwoControlPlanes.state(cps.staging) + TwoControlPlanes.state(cps.prod);
            InProcessCli.Run plan = InProcessCli.run(env(), concat(new String[]{"plan", "--release", release.toString()}, cps.targets()));
            InProcessCli.Run publish = InProcessCli.run(env(), concat(new String[]{"publish", "--release", release.toString()}, cps.targets()));

            assertThat(publish.exit()).as(publish.stderr()).isEqualTo(ExitCodes.USAGE);
            assertThat(plan.exit()).as(release + ": " + plan.stdout() + plan.stderr()).isEqualTo(ExitCodes.USAGE);
            List<String> publishTargetLines = publish.stderr().lines().filter(l -> l.startsWith("lockstep: target ")).toList();
            assertThat(publishTargetLines).isNotEmpty();
            assertThat(plan.stderr().lines().filter(l -> l.startsWith("lockstep: target ")).toList()).isEqualTo(publishTargetLines);
            assertThat(plan.stdout()).contains("publish would refuse this release").doesNotContain("promote required on");
            assertThat(TwoControlPlanes.state(cps.staging) + TwoControlPlanes.state(cps.prod)).isEqualTo(before);
        }
    }

    // ---- item 17: nothing that could be a token is echoed

    @Test
    void tokenLikeValuesAreNeverEchoedInAnyMessage() throws Exception {
        String secret = "lsk_4f9a0c2e7b1d83a6f5e2c9b0";
        String target = "prod=" + cps.prod.url();
        List<String[]> runs = List.of(
                new String[]{"pins", "--target", target, "--token-env", secret},
                new String[]{"pins", "--target", target, "--token-env", "prod=" + secret},
                new String[]{"pins", "--target", target, "-t" + secret},
                new String[]{"pins", "--target", target, "--tokn=" + secret},
                new String[]{"pins", "--target", target, "--" + secret},
                new String[]{"history", "--template", "hermes", "--target", target, "--limit", secret},
                new String[]{"promote", "--template", "hermes", "--digest", newDigest("hermes"), "--target", target,
                        "--retry-interval", secret},
                new String[]{"pins", "--target", target, "--token-env", secret + "=ABC"},
                new String[]{"pins", "--target", "prod=ftp://user:" + secret + "@host"},
                new String[]{"pins", "--target", "prod=https://host/?key=" + secret},
                new String[]{"pins", "--target", target, secret});
        for (String[] args : runs) {
            InProcessCli.Run run = InProcessCli.run(Map.of(), args);
            assertThat(run.exit()).as(String.join(" ", args) + "\n" + run.stderr()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stdout() + run.stderr()).as(String.join(" ", args)).doesNotContain(secret)
                    .doesNotContain(secret.substring(4, 20));
            assertThat(run.stderr().strip()).isNotEmpty();
        }
        InProcessCli.Run bare = InProcessCli.run(Map.of(), "pins", "--target", target, "--token-env", secret);
        assertThat(bare.stderr()).contains("this looks like a token: pass the NAME of the variable that holds it");
        InProcessCli.Run named = InProcessCli.run(Map.of(), "pins", "--target", target, "--token-env", "PROD_TOKEN");
        assertThat(named.stderr()).as("an ordinary variable name is still named").contains("environment variable PROD_TOKEN is not set");
    }

    // ---- item 18: server text cannot forge workflow commands or hide characters

    private static final String HOSTILE_NOTES = "fine\n::add-mask::ghp_x\n  ::error title=forged::prod is down\n"
            + "##[error]legacy forged\u202Egnp.exe\u200B\tend";

    @Test
    void historyPrintsHostileNotesInertInTextAndJson() throws Exception {
        Http.Response promoted = cps.prod.http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.ADMIN,
                "{\"image_digest\":\"" + newDigest("hermes") + "\",\"notes\":" + new ObjectMapper().writeValueAsString(HOSTILE_NOTES) + "}");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        String[] history = {"history", "--template", "hermes", "--target", "prod=" + cps.prod.url()};

        for (boolean json : new boolean[]{false, true}) {
            InProcessCli.Run run = InProcessCli.run(env("GITHUB_ACTIONS", "true"), json ? concat(history, "--json") : history);
            assertThat(run.exit()).as(run.stderr()).isZero();
            String all = run.stdout() + run.stderr();
            assertThat(all.lines().filter(l -> l.stripLeading().startsWith("::"))).as(all).isEmpty();
            assertThat(all).doesNotContain("##[").doesNotContain("\u202E").doesNotContain("\u200B").doesNotContain("\r");
            if (json) {
                JsonNode doc = oneDocument(run.stdout());
                assertThat(doc.path("entries").get(0).path("notes").asText()).as("escaping keeps the data").isEqualTo(HOSTILE_NOTES);
            } else {
                assertThat(run.stdout()).contains("fine\\u000a::add-mask::ghp_x").contains("#\\u0023[error]legacy forged").contains("\\u202egnp.exe");
            }
        }
    }

    @Test
    void provenanceWithControlOrFormatCharactersIsRefusedWith400() {
        for (String value : List.of("run\\u0000", "run\\u001b[31m", "run\\n::error::x", "run\\u202e", "run\\t1")) {
            Http.Response r = cps.prod.http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.ADMIN,
                    "{\"image_digest\":\"" + newDigest("hermes") + "\",\"provenance\":{\"ci_run\":\"" + value + "\"}}");
            assertThat(r.status()).as(value + " " + r.body()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("INVALID_PROVENANCE");
        }
        assertThat(TwoControlPlanes.pins(cps.prod, "prod").get("hermes")).isEqualTo(TwoControlPlanes.oldDigest("hermes"));
    }

    // ---- item 19: --json is one document, annotations go to stderr

    @Test
    void jsonUnderGithubActionsIsOneDocumentAndTheAnnotationsGoToStderr() throws Exception {
        Map<String, String> ci = env("GITHUB_ACTIONS", "true", "PROD_TOKEN", TestConfig.READER);
        InProcessCli.Run run = InProcessCli.run(ci, concat(new String[]{"publish", "--json", "--release",
                cps.seedRelease().toString()}, cps.targets()));

        assertThat(run.exit()).as(run.stderr()).isEqualTo(ExitCodes.FAILED);
        JsonNode doc = oneDocument(run.stdout());
        assertThat(doc.path("ok").asBoolean(true)).isFalse();
        assertThat(run.stdout()).doesNotContain("::error");
        assertThat(run.stderr()).containsPattern("(?m)^::error title=lockstep publish%3A prod platform-agent::prod platform-agent FAILED");
    }
}
